//! The product editor's data as the console sends and receives it.

use crate::catalog::ImageRef;
use serde::{Deserialize, Serialize};
use shop_types::{Money, Timestamp};

/// One product in the console's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminProductRow {
    pub id: String,
    pub title: String,
    pub slug: String,
    pub status: String,
    pub variants: i64,
    pub stock: i64,
    pub price: Money,
    pub updated_at: Timestamp,
    pub image: Option<ImageRef>,
}

/// A page of the product list and where the next one starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminProductPage {
    pub rows: Vec<AdminProductRow>,
    pub next: Option<String>,
}

/// A category to file a product under, named with its parents ("Shoes › Sneakers").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryChoice {
    pub id: String,
    pub path: String,
}

/// Units of a variant at one stock location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelView {
    pub location: String,
    pub on_hand: i64,
}

/// A product's fields as the form shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub brand: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub category_id: String,
    #[serde(default)]
    pub product_type: String,
    /// Comma-separated.
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub seo_title: String,
    #[serde(default)]
    pub seo_description: String,
    #[serde(default)]
    pub option1_name: String,
    #[serde(default)]
    pub option2_name: String,
    #[serde(default)]
    pub option3_name: String,
}

/// A variant's fields as the form shows them (`id` empty for a new one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantInput {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub sku: String,
    #[serde(default)]
    pub option1: String,
    #[serde(default)]
    pub option2: String,
    #[serde(default)]
    pub option3: String,
    /// Decimal, in the store's currency.
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub compare_at: String,
    #[serde(default)]
    pub weight_grams: String,
    #[serde(default)]
    pub barcode: String,
    /// Units on hand at the first stock location, for a new variant only (later changes are
    /// inventory adjustments, which keep a history).
    #[serde(default)]
    pub stock: String,
    /// "on" when the variant is to be removed.
    #[serde(default)]
    pub remove: String,
}

/// A variant in the editor, with its stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantEdit {
    pub input: VariantInput,
    pub stock: i64,
    pub levels: Vec<LevelView>,
}

/// A picture in the editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageEdit {
    pub id: String,
    pub image: ImageRef,
}

/// Everything the editor page needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductEditor {
    /// None for a new product.
    pub id: Option<String>,
    pub product: ProductInput,
    pub variants: Vec<VariantEdit>,
    pub images: Vec<ImageEdit>,
    pub categories: Vec<CategoryChoice>,
    pub currency: String,
}

/// The statuses a product can have, with labels.
pub const STATUSES: [(&str, &str); 3] = [
    ("draft", "Draft (hidden from shoppers)"),
    ("active", "Active (for sale)"),
    ("archived", "Archived"),
];

/// A curated collection with its products (title, handle).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionRow {
    pub id: String,
    pub title: String,
    pub slug: String,
    pub featured: bool,
    pub products: Vec<(String, String)>,
}
