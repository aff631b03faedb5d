//! What happens to orders that other domains react to (see `platform::events`; the reactions,
//! a mail and a push message, are wired in `assembly::reactions`).

use crate::platform::events::DomainEvent;
use serde::{Deserialize, Serialize};
use shop_types::{OrderStatus, StatusDetail};

/// An order is confirmed: placed with a manual payment method, or paid by card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderConfirmed {
    pub order_id: String,
}

impl DomainEvent for OrderConfirmed {
    const KIND: &'static str = "orders.confirmed";
}

/// An order's status changed after it was confirmed; `detail` is what the customer is told
/// beside the new status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChanged {
    pub order_id: String,
    pub to: OrderStatus,
    pub detail: StatusDetail,
}

impl DomainEvent for StatusChanged {
    const KIND: &'static str = "orders.status_changed";
}
