//! What happens in the catalog that other domains react to (see `platform::events`; the
//! reactions are wired in `assembly::reactions`).

use crate::platform::events::DomainEvent;
use serde::{Deserialize, Serialize};

/// A variant that was sold out can be ordered again (a delivery, a cancelled order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackInStock {
    pub variant_id: String,
}

impl DomainEvent for BackInStock {
    const KIND: &'static str = "catalog.back_in_stock";
}

/// A product's lowest price fell (an edit, a bulk price change).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceDropped {
    pub product_id: String,
    /// The lowest price before and after, in minor units.
    pub was: i64,
    pub now: i64,
}

impl DomainEvent for PriceDropped {
    const KIND: &'static str = "catalog.price_dropped";
}
