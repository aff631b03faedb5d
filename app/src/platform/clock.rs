//! The server's clock. All times are UTC milliseconds (see `shop_types::Timestamp`).

use shop_types::Timestamp;
use std::time::{SystemTime, UNIX_EPOCH};

/// Now, in UTC.
pub fn now() -> Timestamp {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp(millis)
}
