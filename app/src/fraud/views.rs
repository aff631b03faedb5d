//! The review queue as the console shows it.

use serde::{Deserialize, Serialize};
use shop_types::{Money, OrderStatus, RiskReason, Timestamp};

/// One scored order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub order_id: String,
    pub number: i64,
    pub placed_at: Timestamp,
    pub email: String,
    pub total: Money,
    pub status: OrderStatus,
    pub score: u32,
    pub reasons: Vec<RiskReason>,
    /// `approved`, `rejected`, or `None` (waiting, or cancelled by the rules).
    pub review: Option<String>,
    /// The reviewer's e-mail, when staff decided.
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<Timestamp>,
}

/// Held orders waiting for staff, recent decisions, and the scores that decide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewQueue {
    pub waiting: Vec<ReviewItem>,
    pub decided: Vec<ReviewItem>,
    pub review_score: u32,
    pub cancel_score: u32,
}
