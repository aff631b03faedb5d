//! What the privacy console shows, shared by the server and the browser.

use serde::{Deserialize, Serialize};
use shop_types::Timestamp;

/// One data-subject request made outside the account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyRequest {
    pub id: String,
    /// `export` or `erasure`.
    pub kind: String,
    /// The requester's address while the request is open; empty once closed.
    pub email: String,
    pub received_at: Timestamp,
    /// 30 days after it was received.
    pub due_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    /// `done`, `no_account` or `refused`, once closed.
    pub outcome: Option<String>,
    /// What an erased customer's orders are kept under.
    pub pseudonym: Option<String>,
    /// The customer account with that address, while open (for the export link).
    pub account_id: Option<String>,
}

/// Open requests (soonest deadline first) and the latest closed ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyRequests {
    pub open: Vec<PrivacyRequest>,
    pub closed: Vec<PrivacyRequest>,
    /// Now, for telling overdue requests (the server's clock).
    pub now: Timestamp,
}
