//! What listings, search results and suggestions show, as every target sees it. The catalog's
//! listing pages use these too (re-exported from `catalog::views`).

use serde::{Deserialize, Serialize};
use shop_types::Money;

pub use shop_types::catalog::{ImageRef, ProductSummary, SellerRef, TextRun};

/// How a list of products is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first (search only).
    Relevance,
    BestSelling,
    #[default]
    Newest,
    PriceAsc,
    PriceDesc,
}

impl Sort {
    /// Reads the `sort` query value; anything unknown is `default`, never an error.
    pub fn parse_or(value: Option<&str>, default: Sort) -> Self {
        match value {
            Some("relevance") => Self::Relevance,
            Some("best_selling") => Self::BestSelling,
            Some("newest") => Self::Newest,
            Some("price_asc") => Self::PriceAsc,
            Some("price_desc") => Self::PriceDesc,
            _ => default,
        }
    }

    /// Reads the `sort` query value of a category or collection (newest first by default).
    pub fn parse(value: Option<&str>) -> Self {
        match Self::parse_or(value, Self::Newest) {
            Self::Relevance => Self::Newest,
            sort => sort,
        }
    }

    /// The query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::BestSelling => "best_selling",
            Self::Newest => "newest",
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
        }
    }

    /// Words for the sort menu.
    pub fn label(self) -> &'static str {
        match self {
            Self::Relevance => "Best match",
            Self::BestSelling => "Best selling",
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
    /// Chosen option and attribute values, as (name, value): values of one name widen the
    /// choice, different names narrow it.
    pub options: Vec<(String, String)>,
    /// Only these marketplace sellers' products (slugs; none: every seller and the shop's own).
    #[serde(default)]
    pub sellers: Vec<String>,
}

/// Most brands one filter may name.
pub const MAX_BRANDS: usize = 20;
/// Most option values one filter may name.
pub const MAX_OPTIONS: usize = 30;
/// Most sellers one filter may name.
pub const MAX_SELLERS: usize = 20;

impl Filters {
    /// Reads filters from URL values. Junk is ignored rather than refused: a shared or crawled
    /// URL must never fail. Prices are in major units ("20" or "19.90").
    pub fn parse(
        brands: Vec<String>,
        in_stock: Option<&str>,
        min: Option<&str>,
        max: Option<&str>,
    ) -> Self {
        Self::parse_with_options(brands, in_stock, min, max, Vec::new())
    }

    /// As [`Filters::parse`], with option values given as `Name:Value` (the `f` URL values).
    pub fn parse_with_options(
        brands: Vec<String>,
        in_stock: Option<&str>,
        min: Option<&str>,
        max: Option<&str>,
        options: Vec<String>,
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
        let mut options: Vec<(String, String)> = options
            .iter()
            .filter_map(|o| o.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .filter(|(n, v)| !n.is_empty() && !v.is_empty() && n.len() <= 60 && v.len() <= 80)
            .collect();
        options.sort();
        options.dedup();
        options.truncate(MAX_OPTIONS);
        Self {
            options,
            sellers: Vec::new(),
            brands,
            in_stock: matches!(in_stock, Some("1" | "on" | "true")),
            min_price: price(min),
            max_price: price(max),
        }
    }
}

impl Filters {
    /// These filters, narrowed to the sellers given as `seller` URL values (slugs; anything
    /// that cannot be a slug is ignored).
    pub fn with_sellers(mut self, sellers: Vec<String>) -> Self {
        let mut sellers: Vec<String> = sellers
            .into_iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| {
                !s.is_empty()
                    && s.len() <= 80
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
            .collect();
        sellers.sort();
        sellers.dedup();
        sellers.truncate(MAX_SELLERS);
        self.sellers = sellers;
        self
    }
}

/// Counts that help a shopper narrow a list: each value with how many products choosing it
/// would show, given the other filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub brands: Vec<(String, u64)>,
    /// Marketplace sellers among the matches (the shop's own products are not counted here).
    #[serde(default)]
    pub sellers: Vec<(SellerRef, u64)>,
    /// Option and attribute groups (Size, Colour, Material) with their values.
    pub options: Vec<FacetGroup>,
    pub in_stock: u64,
    /// The lowest and highest price among the products the other filters leave.
    pub price_range: Option<(Money, Money)>,
}

/// One option or attribute and its values with counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetGroup {
    pub name: String,
    pub values: Vec<(String, u64)>,
}

/// What a list of products is a list of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// A category, with the trail of (slug, name) above it.
    Category {
        slug: String,
        name: String,
        parents: Vec<(String, String)>,
    },
    Collection {
        slug: String,
        title: String,
        description: String,
    },
    Search {
        query: String,
    },
    /// A marketplace seller's storefront: its public face and its products.
    Seller(SellerFront),
}

/// What a seller's storefront shows above its products.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerFront {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub returns_policy: String,
    pub logo: Option<ImageRef>,
    pub banner: Option<ImageRef>,
}

impl Scope {
    /// The page's address without query.
    pub fn base_url(&self) -> String {
        match self {
            Self::Category { slug, .. } => format!("/categories/{slug}"),
            Self::Collection { slug, .. } => format!("/collections/{slug}"),
            Self::Search { .. } => "/search".to_owned(),
            Self::Seller(s) => shop_types::paths::seller_page(&s.slug),
        }
    }

    /// The page's heading.
    pub fn heading(&self) -> String {
        match self {
            Self::Category { name, .. } => name.clone(),
            Self::Collection { title, .. } => title.clone(),
            Self::Search { query } if query.is_empty() => "Search".to_owned(),
            Self::Search { query } => format!("Results for “{query}”"),
            Self::Seller(s) => s.name.clone(),
        }
    }
}

/// A page of a category, collection or search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub scope: Scope,
    pub products: Vec<ProductSummary>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub sort: Sort,
    pub filters: Filters,
    pub facets: Facets,
}

/// What the search box suggests while a shopper types.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestions {
    pub categories: Vec<CategorySuggestion>,
    pub products: Vec<ProductSuggestion>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategorySuggestion {
    pub slug: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSuggestion {
    pub slug: String,
    pub title: Vec<TextRun>,
    pub price: Money,
}

/// Longest search text taken; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 100;

/// Trims a shopper's search text and cuts it to [`MAX_QUERY_CHARS`] characters.
pub fn clean_query(raw: &str) -> String {
    let collapsed: Vec<&str> = raw.split_whitespace().collect();
    collapsed
        .join(" ")
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
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
        assert_eq!(Sort::parse(Some("relevance")), Sort::Newest);
        assert_eq!(Sort::parse_or(None, Sort::Relevance), Sort::Relevance);
    }

    #[test]
    fn search_text_is_trimmed_and_bounded() {
        assert_eq!(clean_query("  blak   sneakrs \n"), "blak sneakrs");
        assert_eq!(
            clean_query(&"é".repeat(500)).chars().count(),
            MAX_QUERY_CHARS
        );
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
        let o = Filters::parse_with_options(
            vec![],
            None,
            None,
            None,
            vec![
                "Colour:Black".into(),
                "nonsense".into(),
                ":x".into(),
                "Size: M ".into(),
                "Colour:Black".into(),
            ],
        );
        let s = Filters::default().with_sellers(vec![
            "nordic-wool".into(),
            " nordic-wool ".into(),
            "Bad Slug".into(),
            "x'--".into(),
            "".into(),
        ]);
        assert_eq!(s.sellers, vec!["nordic-wool".to_owned()]);
        assert_eq!(
            o.options,
            vec![
                ("Colour".into(), "Black".into()),
                ("Size".into(), "M".into())
            ]
        );
    }
}
