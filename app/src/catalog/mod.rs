//! The catalog as shoppers browse it: categories, products and their variants.
//!
//! Product pages (variant picker, gallery, Markdown description, structured data), listing
//! pages for categories, collections and search (`get_listing`, answered from the search
//! index with facets, sorting and pages in the URL), home page lists, and the demo catalog
//! with its painted pictures.

pub mod csv;
pub mod editor;
#[cfg(feature = "ssr")]
pub mod events;
pub mod favourites;
mod get_listing;
mod get_product;
mod get_showcase;
mod list_categories;
mod listing_page;
mod listing_view;
mod not_found;
mod product_card;
mod product_image;
mod product_page;
mod search_page;
pub mod views;

pub use get_listing::{GetListing, ListingKind, get_listing};
pub use get_product::{GetProduct, get_product};
pub use get_showcase::{CollectionCard, GetShowcase, Showcase, get_showcase};
pub use list_categories::{Department, ListCategories, list_categories};
pub use listing_page::{CategoryPage, CollectionPage, ListingPage, SellerPage};
pub use listing_view::ListingView;
pub use not_found::NotFound;
pub use product_card::ProductCard;
pub use product_image::{ProductImage, image_url};
pub use product_page::{BuyBox, BuyInput, ProductPage};
pub use search_page::SearchPage;
pub use views::{
    FacetGroup, Facets, Filters, ImageRef, Listing, ProductDetail, ProductSummary, Scope,
    SellerFront, SellerRef, Sort, TextRun, VariantView,
};

#[cfg(feature = "ssr")]
pub mod category_store;
#[cfg(feature = "ssr")]
pub mod collection_store;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod product_store;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod stock_ledger;
