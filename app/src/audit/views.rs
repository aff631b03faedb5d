//! What the console's audit page shows (shared by the server and the browser).

use serde::{Deserialize, Serialize};
use shop_types::Timestamp;

/// One row of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// Position in the chain, from 1.
    pub seq: i64,
    pub at: Timestamp,
    /// The account's e-mail at the time, or `system`.
    pub who: String,
    pub ip: String,
    pub request_id: String,
    pub action: String,
    pub subject: String,
    /// JSON text, empty when there is none.
    pub before: String,
    pub after: String,
}

/// A page of the audit log, newest first, with the cursor of the next page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRows {
    pub rows: Vec<AuditRow>,
    pub next: Option<String>,
}
