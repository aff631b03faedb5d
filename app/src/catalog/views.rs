//! What the catalog's pages show, as every target sees it.

use serde::{Deserialize, Serialize};
use shop_types::Money;

/// A product in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSummary {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub brand: String,
    /// The lowest price of its variants.
    pub price: Money,
}

/// One variant on a product page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantView {
    pub id: String,
    pub sku: String,
    pub title: String,
    pub price: Money,
    pub compare_at: Option<Money>,
    pub in_stock: bool,
}

/// A product page's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub summary: ProductSummary,
    pub description: String,
    /// (slug, name) of its category.
    pub category: Option<(String, String)>,
    pub variants: Vec<VariantView>,
    /// Whether the signed-in shopper has it among their favourites.
    pub favourite: bool,
}

/// How a list of products is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Newest,
    PriceAsc,
    PriceDesc,
}

impl Sort {
    /// Reads the `sort` query value; anything unknown is the default, never an error.
    pub fn parse(value: Option<&str>) -> Self {
        match value {
            Some("price_asc") => Self::PriceAsc,
            Some("price_desc") => Self::PriceDesc,
            _ => Self::Newest,
        }
    }

    /// The query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
        }
    }

    /// Words for the sort menu.
    pub fn label(self) -> &'static str {
        match self {
            Self::Newest => "Newest first",
            Self::PriceAsc => "Price: low to high",
            Self::PriceDesc => "Price: high to low",
        }
    }
}

/// Products per category page.
pub const PAGE_SIZE: u32 = 24;
/// The deepest page we serve (beyond it, refine the category or search).
pub const MAX_PAGE: u32 = 500;

/// Reads the `page` query value: 1 for anything missing, malformed or out of range.
pub fn parse_page(value: Option<&str>) -> u32 {
    value
        .and_then(|v| v.parse::<u32>().ok())
        .filter(|p| (1..=MAX_PAGE).contains(p))
        .unwrap_or(1)
}

/// Filters a shopper set on a category page (all from the URL).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// Only these brands (none: every brand).
    pub brands: Vec<String>,
    /// Only products with at least one variant in stock.
    pub in_stock: bool,
    /// Lowest and highest price, in minor units.
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
}

/// Most brands one filter may name.
pub const MAX_BRANDS: usize = 20;

impl Filters {
    /// Reads filters from URL values. Junk is ignored rather than refused: a shared or crawled
    /// URL must never fail. Prices are in major units ("20" or "19.90").
    pub fn parse(
        brands: Vec<String>,
        in_stock: Option<&str>,
        min: Option<&str>,
        max: Option<&str>,
    ) -> Self {
        let price = |v: Option<&str>| {
            v.and_then(|v| v.trim().replace(',', ".").parse::<f64>().ok())
                .filter(|p| p.is_finite() && *p >= 0.0 && *p < 1e9)
                .map(|p| (p * 100.0).round() as i64)
        };
        let mut brands: Vec<String> = brands
            .into_iter()
            .map(|b| b.trim().to_owned())
            .filter(|b| !b.is_empty() && b.len() <= 80)
            .collect();
        brands.sort();
        brands.dedup();
        brands.truncate(MAX_BRANDS);
        Self {
            brands,
            in_stock: matches!(in_stock, Some("1" | "on" | "true")),
            min_price: price(min),
            max_price: price(max),
        }
    }
}

/// Counts that help a shopper narrow a category: each brand with how many products it would
/// show (given the other filters), and how many are in stock.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub brands: Vec<(String, u64)>,
    pub in_stock: u64,
}

/// A page of a category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryListing {
    pub slug: String,
    pub name: String,
    pub products: Vec<ProductSummary>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub sort: Sort,
    pub filters: Filters,
    pub facets: Facets,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_query_values_fall_back_to_defaults() {
        assert_eq!(Sort::parse(Some("price_asc")), Sort::PriceAsc);
        assert_eq!(
            Sort::parse(Some("'; DROP TABLE products; --")),
            Sort::Newest
        );
        assert_eq!(parse_page(Some("3")), 3);
        for bad in ["0", "-1", "abc", "99999999999", "1e9", ""] {
            assert_eq!(parse_page(Some(bad)), 1, "{bad}");
        }
        assert_eq!(parse_page(None), 1);
    }

    #[test]
    fn filters_ignore_junk() {
        let f = Filters::parse(
            vec![" Lumen ".into(), "".into(), "Lumen".into(), "x".repeat(200)],
            Some("on"),
            Some("19,90"),
            Some("-5"),
        );
        assert_eq!(f.brands, vec!["Lumen".to_owned()]);
        assert!(f.in_stock);
        assert_eq!((f.min_price, f.max_price), (Some(1990), None));
        let none = Filters::parse(vec![], Some("maybe"), Some("NaN"), Some("inf"));
        assert_eq!(none, Filters::default());
    }
}
