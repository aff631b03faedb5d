use serde::{Deserialize, Serialize};
use shop_types::Timestamp;

/// Reports of one kind of violation: the same directive, blocked address and page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViolationGroup {
    pub directive: String,
    pub blocked: String,
    pub page: String,
    pub sample: String,
    pub count: i64,
    pub last_seen: Timestamp,
}
