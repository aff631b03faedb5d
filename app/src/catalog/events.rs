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
