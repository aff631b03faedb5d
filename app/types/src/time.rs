//! Points in time, always UTC.

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC.
///
/// Stored as a 64-bit integer on both database engines: it sorts, compares and does arithmetic
/// the same way everywhere, and day or week buckets are plain integer division. Reading the
/// clock is the server's job (`app::platform::clock`), so this type stays target independent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds in one second, minute, hour and day.
    pub const SECOND: i64 = 1_000;
    pub const MINUTE: i64 = 60 * Self::SECOND;
    pub const HOUR: i64 = 60 * Self::MINUTE;
    pub const DAY: i64 = 24 * Self::HOUR;

    /// The raw millisecond count.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// This point plus `ms` milliseconds (saturating).
    pub fn plus_millis(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }

    /// Formats as an RFC 3339 date and time in UTC, e.g. `2026-11-24T09:30:00Z`.
    pub fn to_rfc3339(self) -> String {
        let secs = self.0.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            (rem % 3600) / 60,
            rem % 60
        )
    }
}

impl Timestamp {
    /// Midnight UTC of a `YYYY-MM-DD` date (as date inputs send it), if it is a real date.
    pub fn parse_date(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let year: i64 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let days = days_from_civil(year, month, day);
        // Day 31 of a 30-day month comes back as another date: refuse it.
        (civil_from_days(days) == (year, month, day)).then_some(Self(days * Self::DAY))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of `civil_from_days`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Converts days since 1970-01-01 to a proleptic Gregorian (year, month, day).
/// Howard Hinnant's well-known algorithm, written out for this crate.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(Timestamp(0).to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp(951_782_400_000).to_rfc3339(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            Timestamp(1_795_512_645_000).to_rfc3339(),
            "2026-11-24T09:30:45Z"
        );
        assert_eq!(Timestamp(-1_000).to_rfc3339(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn dates_parse_to_midnight_and_impossible_ones_are_refused() {
        assert_eq!(Timestamp::parse_date("1970-01-01"), Some(Timestamp(0)));
        assert_eq!(
            Timestamp::parse_date("2000-02-29"),
            Some(Timestamp(951_782_400_000))
        );
        let d = Timestamp::parse_date("2026-11-24").unwrap();
        assert_eq!(d.to_rfc3339(), "2026-11-24T00:00:00Z");
        for bad in ["2026-02-30", "2026-13-01", "2026-00-10", "x", "2026-1", ""] {
            assert_eq!(Timestamp::parse_date(bad), None, "{bad}");
        }
    }
}
