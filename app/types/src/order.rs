//! Order status as every target shows it. The rules for moving between states belong to the
//! orders service on the server; this is only the vocabulary.

use serde::{Deserialize, Serialize};

/// Where an order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    AwaitingPayment,
    Paid,
    PartlyFulfilled,
    Fulfilled,
    Shipped,
    Delivered,
    Cancelled,
    PartlyRefunded,
    Refunded,
    ReturnRequested,
    ReturnApproved,
    ReturnReceived,
}

impl OrderStatus {
    /// Every status, in the order a shopper usually meets them.
    pub const ALL: [OrderStatus; 12] = [
        Self::AwaitingPayment,
        Self::Paid,
        Self::PartlyFulfilled,
        Self::Fulfilled,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
        Self::PartlyRefunded,
        Self::Refunded,
        Self::ReturnRequested,
        Self::ReturnApproved,
        Self::ReturnReceived,
    ];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwaitingPayment => "awaiting_payment",
            Self::Paid => "paid",
            Self::PartlyFulfilled => "partly_fulfilled",
            Self::Fulfilled => "fulfilled",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
            Self::PartlyRefunded => "partly_refunded",
            Self::Refunded => "refunded",
            Self::ReturnRequested => "return_requested",
            Self::ReturnApproved => "return_approved",
            Self::ReturnReceived => "return_received",
        }
    }

    /// Reads a stored value back.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Words for a shopper (English; translations come with i18n).
    pub fn label(self) -> &'static str {
        match self {
            Self::AwaitingPayment => "Awaiting payment",
            Self::Paid => "Paid",
            Self::PartlyFulfilled => "Partly packed",
            Self::Fulfilled => "Packed",
            Self::Shipped => "Shipped",
            Self::Delivered => "Delivered",
            Self::Cancelled => "Cancelled",
            Self::PartlyRefunded => "Partly refunded",
            Self::Refunded => "Refunded",
            Self::ReturnRequested => "Return requested",
            Self::ReturnApproved => "Return approved",
            Self::ReturnReceived => "Return received",
        }
    }
}

/// How a shopper pays for an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// By card through the configured payment provider.
    Card,
    /// By bank transfer; staff mark the order paid when the money arrives.
    BankTransfer,
    /// In cash to the carrier; the order may be packed and shipped before it is paid.
    CashOnDelivery,
}

impl PaymentMethod {
    /// Every method, in the order checkout offers them.
    pub const ALL: [PaymentMethod; 3] = [Self::Card, Self::BankTransfer, Self::CashOnDelivery];

    /// The value stored in the database and sent by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Card => "card",
            Self::BankTransfer => "bank_transfer",
            Self::CashOnDelivery => "cash_on_delivery",
        }
    }

    /// Reads a stored or submitted value.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == value.trim())
    }

    /// Words for a shopper.
    pub fn label(self) -> &'static str {
        match self {
            Self::Card => "Card",
            Self::BankTransfer => "Bank transfer",
            Self::CashOnDelivery => "Cash on delivery",
        }
    }
}

/// What a customer is told beside an order's new status, as parameters (the words are made
/// by `messages::en::status_detail` when the mail or push message is written).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "detail", rename_all = "snake_case")]
pub enum StatusDetail {
    /// Nothing beyond the status.
    #[default]
    None,
    /// A bank transfer or cash payment was recorded.
    PaymentReceived,
    /// The whole order left with one carrier.
    Shipped { carrier: String, tracking: String },
    /// One parcel of the order left; `items` are (units, SKU).
    ParcelSent {
        items: Vec<(i64, String)>,
        carrier: String,
        tracking: String,
    },
    /// Cancelled by the shop or the customer.
    Cancelled,
    /// Cancelled because a card payment did not arrive in time.
    CancelledUnpaid { minutes: u32 },
    /// Cancelled because a bank transfer (or a cash-on-delivery order nobody packed) did not
    /// happen within the shop's waiting time.
    CancelledUnpaidDays { days: u32 },
    /// Money went back to the customer.
    Refunded { amount: crate::Money },
    /// The customer's own words (a return request's reason).
    CustomerNote { text: String },
}

/// What the shop records beside an order's status change (the words are made when the history
/// is shown, by `messages::en::history_note`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum HistoryNote {
    CancelledByCustomer,
    /// A newer order from the same cart replaced this unpaid one.
    ReplacedByNewerOrder,
    /// The card payment did not arrive within the payment window.
    NotPaidInTime,
    /// The order's risk score reached the shop's cancel score when it was placed (the score
    /// and reasons are the staff's, on the review page; the customer is told only this).
    FailedRiskCheck,
    /// Staff looked at a held order and released it.
    ApprovedAfterReview,
    /// Staff looked at a held order and cancelled it.
    RejectedAfterReview,
    Refunded {
        amount: crate::Money,
    },
    /// What the customer was told (a parcel sent).
    Told {
        detail: StatusDetail,
    },
}

/// How to pay an order by bank transfer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankTransfer {
    pub total: crate::Money,
    /// The shop's account (`SHOP_BANK_DETAILS`).
    pub account: String,
    pub order_number: i64,
    /// When the order is cancelled if the money has not arrived (`SHOP_MANUAL_PAYMENT_DAYS`).
    #[serde(default)]
    pub pay_by: Option<crate::Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_round_trip_and_match_serde() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(OrderStatus::parse("teleported"), None);
    }

    #[test]
    fn payment_methods_round_trip() {
        for method in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(method.as_str()), Some(method));
        }
        assert_eq!(PaymentMethod::parse("cheque"), None);
    }
}
