//! What the staff order pages show beyond the customer's view of an order.

use serde::{Deserialize, Serialize};
use shop_types::Timestamp;

/// A line with what is left to send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulfilmentLine {
    pub position: i64,
    pub sku: String,
    pub title: String,
    pub quantity: i64,
    pub fulfilled: i64,
}

/// A parcel already sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentView {
    pub at: Timestamp,
    pub location: String,
    pub carrier: String,
    pub tracking_number: String,
    /// "2 × SKU-1, 1 × SKU-2".
    pub contents: String,
}

/// An internal note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteView {
    pub at: Timestamp,
    pub author: String,
    pub body: String,
}

/// A stock location to send from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationChoice {
    pub id: String,
    pub name: String,
}

/// The staff-only side of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderWorkbench {
    pub lines: Vec<FulfilmentLine>,
    pub shipments: Vec<ShipmentView>,
    pub notes: Vec<NoteView>,
    pub locations: Vec<LocationChoice>,
    /// Held for a risk review: nothing may be packed until staff approve it.
    pub held: bool,
    /// The fraud rules' score (0–100) and reasons, when the order was scored.
    pub risk: Option<(u32, Vec<shop_types::RiskReason>)>,
}

/// The staff order list: a page of rows and where the next page starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderListPage {
    pub rows: Vec<super::AdminOrderRow>,
    /// Cursor of the next page (`after=`), when there is one.
    pub next: Option<String>,
}
