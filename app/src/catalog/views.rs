//! What the catalog's pages show, as every target sees it.

use serde::{Deserialize, Serialize};
use shop_types::Money;

pub use shop_types::catalog::{IMAGE_WIDTHS, ImageRef, ProductSummary, SellerRef, TextRun};

/// One variant on a product page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantView {
    pub id: String,
    pub sku: String,
    pub title: String,
    /// Its value for each of the product's options, in option order.
    pub options: Vec<String>,
    pub price: Money,
    pub compare_at: Option<Money>,
    pub in_stock: bool,
    /// Units available (shown as "only N left" when few).
    pub stock: i64,
}

/// A product page's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub summary: ProductSummary,
    /// The description as written (Markdown), for meta tags.
    pub description: String,
    /// The description rendered to HTML that is safe by construction (see `catalog::markdown`).
    pub description_html: String,
    /// Trail of (slug, name) from the top category down to the product's own.
    pub breadcrumbs: Vec<(String, String)>,
    /// Option names (Size, Colour), in order; empty for a product with one plain variant.
    pub option_names: Vec<String>,
    pub variants: Vec<VariantView>,
    pub images: Vec<ImageRef>,
    /// (name, value) facts such as Material.
    pub attributes: Vec<(String, String)>,
    pub tags: Vec<String>,
    /// Whether the signed-in shopper has it among their favourites.
    pub favourite: bool,
}

pub use crate::search::views::*;
