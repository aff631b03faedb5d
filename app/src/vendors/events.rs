//! What vendors' changes tell other domains.

use crate::platform::events::DomainEvent;
use serde::{Deserialize, Serialize};
use shop_types::VendorStatus;

/// A vendor applied (`from` is `None`) or moved to another status. `owners` are the accounts
/// told (read in the change's transaction: a rejection ends their membership there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorStatusChanged {
    pub vendor_id: String,
    pub from: Option<VendorStatus>,
    pub to: VendorStatus,
    pub reason: Option<String>,
    pub owners: Vec<String>,
}

impl DomainEvent for VendorStatusChanged {
    const KIND: &'static str = "vendors.status_changed";
}
