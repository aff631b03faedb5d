//! The store's settings as the storefront reads them. Editing them belongs to the admin console.

mod get_store_info;
#[cfg(feature = "ssr")]
pub mod queries;

pub use get_store_info::{GetStoreInfo, StoreInfo, get_store_info};
