//! The cart as every target sees it.

use serde::{Deserialize, Serialize};
use shop_types::Money;

/// One line of the cart page, priced by the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLineView {
    pub variant_id: String,
    pub product_slug: String,
    pub title: String,
    /// The variant's name ("EU 42"), empty for a product's only variant.
    pub variant: String,
    pub sku: String,
    pub quantity: u32,
    pub unit_price: Money,
    pub line_total: Money,
    /// Units that can be bought now.
    pub available: i64,
    /// Kept for later rather than in the cart.
    pub saved_for_later: bool,
    /// What is wrong with the line, in words (sold out, fewer left than wanted).
    pub problem: Option<String>,
    pub image: Option<crate::catalog::ImageRef>,
    /// Weight of one unit in grams (for shipping rates).
    pub weight_grams: i64,
}

/// The cart: lines to buy, lines saved for later, and the subtotal of the first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartView {
    pub lines: Vec<CartLineView>,
    pub saved: Vec<CartLineView>,
    /// Sum of the lines to buy; `None` for an empty cart.
    pub subtotal: Option<Money>,
    /// Units in the cart (not counting saved ones), for the header.
    pub units: u32,
}

/// Most lines a cart holds, and most units of one line (see also `shop_types::Quantity`).
pub const MAX_LINES: usize = 50;
pub const MAX_LINE_UNITS: i64 = 99;
