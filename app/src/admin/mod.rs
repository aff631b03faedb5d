//! The admin console's frame and its home: the layout with the console's navigation
//! (`AdminLayout`), the dashboard (`DashboardPage`, figures from `dashboard_service`) and the
//! SVG chart it draws. Each console section lives with its domain (orders in `orders/`,
//! products in `catalog/editor/`, stock in `inventory/`, customers in `customers/`, settings
//! in `settings/`); this folder only ties them together.

mod admin_layout;
mod chart;
mod dashboard_page;
mod get_dashboard;
pub mod views;

#[cfg(feature = "ssr")]
pub mod dashboard_service;

pub use admin_layout::{AdminLayout, admin_error};
pub use chart::LineChart;

/// The options of a list filter: "any" (the empty value) first, then `items` as (value,
/// label), the one equal to `current` chosen.
pub fn filter_options<'a>(
    current: &str,
    any: &'static str,
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    std::iter::once(("", any))
        .chain(items)
        .map(|(value, label)| {
            let selected = value == current;
            view! { <option value=value.to_owned() selected=selected>{label.to_owned()}</option> }
        })
        .collect_view()
        .into_any()
}

/// Reads a keyset cursor (`<milliseconds>_<id>`, as the console's "Next page" links carry it).
pub fn parse_cursor(after: Option<String>) -> Result<Option<(i64, String)>, shop_types::AppError> {
    after
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.split_once('_')
                .and_then(|(at, id)| Some((at.parse::<i64>().ok()?, id.to_owned())))
                .filter(|(_, id)| id.len() <= 40)
                .ok_or_else(|| {
                    shop_types::AppError::validation("after", "That page link is broken.")
                })
        })
        .transpose()
}

/// A list page's "Next page" link: `path` with the filters named in `keep` (from `query`) and
/// the cursor.
pub fn next_page(
    path: &str,
    query: &leptos_router::params::ParamsMap,
    keep: &[&str],
    cursor: String,
) -> String {
    let mut pairs: Vec<(String, String)> = keep
        .iter()
        .filter_map(|k| {
            query
                .get(k)
                .filter(|v| !v.is_empty())
                .map(|v| ((*k).to_owned(), v))
        })
        .collect();
    pairs.push(("after".into(), cursor));
    format!("{path}?{}", query_string(&pairs))
}

/// `a=1&b=x%20y` from pairs, for links that keep a list's filters.
pub fn query_string(pairs: &[(String, String)]) -> String {
    fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}
pub use dashboard_page::DashboardPage;
pub use get_dashboard::{GetDashboard, get_dashboard};

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

#[cfg(test)]
mod tests {
    use super::*;

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
