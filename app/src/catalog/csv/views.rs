//! An import as the console shows it.

use serde::{Deserialize, Serialize};
use shop_types::Timestamp;

/// A row the import could not use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRowError {
    pub row: i64,
    pub handle: String,
    pub problem: shop_types::Problem,
}

/// An import and how far it got.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: String,
    pub file_name: String,
    /// queued, running, done or failed.
    pub status: String,
    pub total_rows: i64,
    pub total_products: i64,
    pub products_done: i64,
    pub created: i64,
    pub updated: i64,
    pub failed_rows: i64,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    /// The first errors (up to 500), by row.
    pub errors: Vec<ImportRowError>,
}

impl ImportView {
    /// Whether the job still has work to do.
    pub fn in_progress(&self) -> bool {
        self.status == "queued" || self.status == "running"
    }
}
