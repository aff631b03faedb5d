//! What a product looks like in a list: shared by the pages, the server and the service
//! worker (which keeps the summaries of products a shopper has seen, to search them offline).

use crate::Money;
use serde::{Deserialize, Serialize};

/// A picture of a product: the stored original's key and size, and its alternative text.
/// Pages ask `/media/<key>/<width>.webp` for the sizes in [`IMAGE_WIDTHS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRef {
    pub key: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

/// The widths every image is offered in (for `srcset`).
pub const IMAGE_WIDTHS: [u32; 3] = [320, 640, 960];

/// A run of text, marked when it matched the shopper's search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRun {
    pub text: String,
    pub hit: bool,
}

/// A product in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSummary {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub brand: String,
    /// The lowest price of its variants.
    pub price: Money,
    /// The price before a reduction, when it is on sale.
    pub compare_at: Option<Money>,
    pub image: Option<ImageRef>,
    /// The title cut into runs with search matches marked (search results only).
    pub highlighted: Option<Vec<TextRun>>,
    /// The marketplace seller who sells it; `None` for the shop's own products.
    #[serde(default)]
    pub seller: Option<SellerRef>,
}

/// A marketplace seller as lists and product pages name it: its storefront is
/// `/sellers/<slug>` (see [`crate::paths::seller_page`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerRef {
    pub slug: String,
    pub name: String,
}
