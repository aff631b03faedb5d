//! The shop itself: its name, currency, tax display, contact and logo, read in one place
//! (`queries`) by every domain and page. The console edits them in `settings`.

mod get_store_info;

#[cfg(feature = "ssr")]
pub mod queries;

pub use get_store_info::{GetStoreInfo, StoreInfo, get_store_info};

use leptos::prelude::Resource;
use shop_types::AppError;

/// Code of the store a single-store installation serves.
pub const DEFAULT_STORE_CODE: &str = "default";

/// The store's settings, loaded once per page and shared by header, footer and titles.
#[derive(Clone, Copy)]
pub struct StoreInfoResource(pub Resource<Result<StoreInfo, AppError>>);
