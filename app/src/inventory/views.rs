//! Stock as the console shows it.

use serde::{Deserialize, Serialize};
use shop_types::Timestamp;

/// Units at one location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub location_id: String,
    pub location: String,
    pub on_hand: i64,
}

/// A variant's stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockRow {
    pub variant_id: String,
    pub product_id: String,
    pub title: String,
    pub variant: String,
    pub sku: String,
    /// Units that can be sold now.
    pub sellable: i64,
    pub levels: Vec<Level>,
}

/// A page of the stock list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockPage {
    pub rows: Vec<StockRow>,
    pub next: Option<String>,
}

/// One change of stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Movement {
    pub at: Timestamp,
    pub delta: i64,
    pub reason: String,
    pub location: String,
    pub note: String,
    pub actor: String,
    pub order_id: Option<String>,
}

/// A variant with every location and its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockItem {
    pub row: StockRow,
    /// Every location, including ones the variant has no units at.
    pub locations: Vec<Level>,
    pub movements: Vec<Movement>,
}

/// Why stock changed, as staff choose it (`import` is set by product imports only).
pub const REASONS: [(&str, &str); 5] = [
    ("received", "Received from a supplier"),
    ("counted", "Stock count correction"),
    ("damaged", "Damaged or lost"),
    ("returned", "Returned by a customer"),
    ("transfer", "Moved between locations"),
];
