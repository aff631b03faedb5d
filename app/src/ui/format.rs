//! How numbers and times read on every page, and how typed numbers are read back.

use shop_types::Timestamp;

/// A time for people: "2026-11-24 09:30 UTC".
pub fn when(t: Timestamp) -> String {
    let text = t.to_rfc3339();
    format!("{} UTC", text.get(0..16).unwrap_or(&text).replace('T', " "))
}

/// Basis points as a percentage with one decimal: 1950 → "19.5 %".
pub fn percent(bp: i64) -> String {
    format!("{}.{} %", bp / 100, (bp % 100) / 10)
}

/// A percentage typed by staff ("-10", "5.5", "+2.25 %") as basis points; at most two
/// decimals. Callers check the range they allow.
pub fn parse_percent(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('%').trim();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || whole.len() > 9
        || frac.len() > 2
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(sign * (whole * 100 + frac))
}

/// Basis points as a percentage for people: 1900 → "19", 887 → "8.87", 8875 → "88.75".
pub fn percent_label(bp: i64) -> String {
    let whole = bp / 100;
    let frac = bp % 100;
    if frac == 0 {
        whole.to_string()
    } else if frac % 10 == 0 {
        format!("{whole}.{}", frac / 10)
    } else {
        format!("{whole}.{frac:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::lists::query_string;

    #[test]
    fn percentages_become_basis_points() {
        assert_eq!(parse_percent("-10"), Some(-1000));
        assert_eq!(parse_percent("5.5"), Some(550));
        assert_eq!(parse_percent("+2.25 %"), Some(225));
        assert_eq!(parse_percent("19"), Some(1900));
        for bad in ["", "abc", "1.234", ".5", "1e3"] {
            assert_eq!(parse_percent(bad), None, "{bad}");
        }
    }

    #[test]
    fn query_strings_are_encoded() {
        let q = query_string(&[("q".into(), "a b&c".into()), ("after".into(), "1_X".into())]);
        assert_eq!(q, "q=a%20b%26c&after=1_X");
    }
}
