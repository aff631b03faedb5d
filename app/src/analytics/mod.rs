//! What shoppers do, recorded by the shop itself: product views, searches (with their result
//! counts, so zero-result searches show up), add to cart, checkout steps and purchases. No
//! third-party tracker, and no personal data in an event: no account, address or IP. Carts are
//! named by a hash only so the funnel can count distinct carts per step.
//!
//! Writers call `recorder::record_here`; events are buffered in memory and written in batches
//! (`recorder::Analytics::flush`). The console reads them through `funnel`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod funnel;
#[cfg(feature = "ssr")]
pub mod recorder;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    ProductView,
    Search,
    AddToCart,
    CheckoutStarted,
    CheckoutDetails,
    Purchase,
}

impl EventKind {
    /// Every kind, in funnel order.
    pub const ALL: [EventKind; 6] = [
        Self::ProductView,
        Self::Search,
        Self::AddToCart,
        Self::CheckoutStarted,
        Self::CheckoutDetails,
        Self::Purchase,
    ];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProductView => "product_view",
            Self::Search => "search",
            Self::AddToCart => "add_to_cart",
            Self::CheckoutStarted => "checkout_started",
            Self::CheckoutDetails => "checkout_details",
            Self::Purchase => "purchase",
        }
    }

    /// Reads a stored value back.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::ProductView => "Viewed a product",
            Self::Search => "Searched",
            Self::AddToCart => "Added to cart",
            Self::CheckoutStarted => "Started checkout",
            Self::CheckoutDetails => "Entered delivery details",
            Self::Purchase => "Placed an order",
        }
    }
}

/// One step of the funnel as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStep {
    pub kind: EventKind,
    /// Events (views, searches) or distinct carts (the cart and checkout steps).
    pub count: i64,
    /// Share of the first cart step, in basis points, for the cart and checkout steps.
    pub share_bp: Option<i64>,
}

/// A search that found nothing, and how often it was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchTermCount {
    pub terms: String,
    pub count: i64,
}
