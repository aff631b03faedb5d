//! The catalog as shoppers browse it: categories, products and their variants.
//!
//! Today: product pages, category pages with sorting and pagination, new arrivals, and a demo
//! catalog generator. Search, facets, images, collections and the admin editor build on it.

mod category_page;
mod get_category;
mod get_product;
mod list_categories;
mod list_new_arrivals;
mod product_card;
mod product_page;
pub mod views;

pub use category_page::CategoryPage;
pub use get_category::{GetCategory, get_category};
pub use get_product::{GetProduct, get_product};
pub use list_categories::{Department, ListCategories, list_categories};
pub use list_new_arrivals::{ListNewArrivals, list_new_arrivals};
pub use product_card::ProductCard;
pub use product_page::ProductPage;
pub use views::{
    CategoryListing, Facets, Filters, ProductDetail, ProductSummary, Sort, VariantView,
};

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod queries;
