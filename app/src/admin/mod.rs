//! The admin console's frame and its home: the layout with the console's navigation
//! (`AdminLayout`), the dashboard (`DashboardPage`, figures from `dashboard_service`) and the
//! SVG chart it draws. Each console section lives with its domain (orders in `orders/`,
//! products in `catalog/editor/`, stock in `inventory/`, customers in `customers/`, settings
//! in `settings/`); this folder only ties them together.

mod admin_layout;
mod chart;
mod dashboard_page;
mod get_dashboard;
pub mod views;

#[cfg(feature = "ssr")]
pub mod dashboard_service;

pub use admin_layout::AdminLayout;
pub use chart::LineChart;

pub use dashboard_page::DashboardPage;
pub use get_dashboard::{GetDashboard, get_dashboard};
