//! Products from and to Shopify's product CSV, and the console's import page with progress
//! and a per-row error report. Orders export lives with orders (`orders::export`).

mod get_import;
mod import_page;
mod start_import;
pub mod views;

#[cfg(feature = "ssr")]
pub mod export_service;
#[cfg(feature = "ssr")]
pub mod import_service;
#[cfg(feature = "ssr")]
pub mod shopify_csv;

pub use get_import::{GetImport, ListImports, get_import, list_imports};
pub use import_page::{ImportDetailPage, ImportPage};
pub use start_import::{StartImport, start_import};
