//! The small UI kit every domain builds its pages from: form fields and their errors
//! (`field`), how times and percentages read (`format`), console lists (`lists`: filters,
//! keyset cursors, "Next page") and console frames (`console`: refused loads, settings tabs).
//!
//! It knows no domain: it sits between `platform`/`shop-types` and the domains, so any page may
//! use it without creating an import cycle.

pub mod console;
pub mod error_page;
pub mod field;
pub mod format;
pub mod lists;

pub use console::{RiskReasons, SettingsNav, admin_error};
pub use error_page::ErrorPage;
pub use field::{Field, FormError, error_for};
pub use format::{parse_percent, percent, when};
pub use lists::{filter_options, next_page, parse_cursor, query_string};
