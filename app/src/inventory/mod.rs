//! Stock in the console: every variant's sellable and on-hand counts per location, adjustments
//! with a reason (`inventory_service`), and the history of every change (orders, shipments,
//! adjustments, imports).

mod adjust_stock;
mod get_stock_item;
mod inventory_page;
mod list_stock;
pub mod views;

#[cfg(feature = "ssr")]
pub mod queries;

#[cfg(feature = "ssr")]
pub mod inventory_service;

pub use adjust_stock::{AdjustStock, adjust_stock};
pub use get_stock_item::{GetStockItem, get_stock_item};
pub use inventory_page::{AdjustFields, InventoryPage, MovementTable, StockItemPage, StockTable};
pub use list_stock::{ListStock, list_stock};
