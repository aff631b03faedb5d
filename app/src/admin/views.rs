//! What the dashboard shows, as the server sends it.

use crate::analytics::{FunnelStep, SearchTermCount};
use serde::{Deserialize, Serialize};
use shop_types::Money;

/// The span the dashboard covers, and how it is cut into buckets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Range {
    /// The last 24 hours, by hour.
    Day,
    /// The last 7 days, by day.
    Week,
    /// The last 30 days, by day.
    Month,
    /// The last 52 weeks, by week.
    Year,
}

impl Range {
    pub const ALL: [Range; 4] = [Self::Day, Self::Week, Self::Month, Self::Year];

    /// In URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Year => "year",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Day => "Last 24 hours",
            Self::Week => "Last 7 days",
            Self::Month => "Last 30 days",
            Self::Year => "Last 52 weeks",
        }
    }

    /// (bucket length in milliseconds, number of buckets).
    pub fn buckets(self) -> (i64, i64) {
        const HOUR: i64 = 3_600_000;
        const DAY: i64 = 24 * HOUR;
        match self {
            Self::Day => (HOUR, 24),
            Self::Week => (DAY, 7),
            Self::Month => (DAY, 30),
            Self::Year => (7 * DAY, 52),
        }
    }
}

/// A figure now and in the period before, for the comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compared<T> {
    pub now: T,
    pub before: T,
}

/// One bucket of the chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    /// "09:00" or "11-24".
    pub label: String,
    pub revenue_minor: i64,
    pub previous_minor: i64,
    pub orders: i64,
}

/// A best seller of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopProduct {
    pub title: String,
    pub slug: String,
    pub units: i64,
    pub revenue: Money,
}

/// A variant at or under the low-stock threshold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LowStock {
    pub product_id: String,
    pub title: String,
    pub variant_title: String,
    pub sku: String,
    pub stock: i64,
}

/// Everything on the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub range: Range,
    pub revenue: Compared<Money>,
    pub orders: Compared<i64>,
    pub average_order: Compared<Money>,
    /// Carts that became orders, of the carts something was added to (basis points).
    pub conversion_bp: Compared<i64>,
    /// Buyers of the period who had bought before it (basis points of all buyers).
    pub returning_bp: Compared<i64>,
    pub points: Vec<Point>,
    pub top_products: Vec<TopProduct>,
    pub low_stock: Vec<LowStock>,
    pub low_stock_threshold: i64,
    pub funnel: Vec<FunnelStep>,
    pub zero_result_searches: Vec<SearchTermCount>,
}

/// The change from `before` to `now` as "+12 %", "−3 %" or "new" (nothing before).
pub fn change(now: i64, before: i64) -> String {
    if before == 0 {
        return if now == 0 {
            "±0 %".into()
        } else {
            "new".into()
        };
    }
    let pct = (now - before) * 100 / before.abs();
    match pct {
        0 => "±0 %".into(),
        p if p > 0 => format!("+{p} %"),
        p => format!("−{} %", -p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::percent;

    #[test]
    fn changes_read_naturally() {
        assert_eq!(change(120, 100), "+20 %");
        assert_eq!(change(80, 100), "−20 %");
        assert_eq!(change(5, 0), "new");
        assert_eq!(change(0, 0), "±0 %");
        assert_eq!(percent(1234), "12.3 %");
    }
}
