//! Orders as every target sees them.

use serde::{Deserialize, Serialize};
use shop_types::{AddressInput, Money, OrderStatus, PaymentMethod, Timestamp};

/// One line of an order, as it was bought.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub product_slug: String,
    pub title: String,
    pub variant: String,
    pub sku: String,
    pub quantity: u32,
    pub unit_price: Money,
    pub line_total: Money,
    pub fulfilled: u32,
}

/// One change in the order's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEventView {
    pub status: OrderStatus,
    pub at: Timestamp,
    /// What the shop recorded (a refund's amount, the parcel sent), as parameters.
    pub detail: Option<shop_types::HistoryNote>,
    /// What a person typed.
    pub note: String,
}

/// An order as its customer (or staff) sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: String,
    pub number: i64,
    pub status: OrderStatus,
    pub email: String,
    pub placed_at: Timestamp,
    pub lines: Vec<OrderLineView>,
    pub subtotal: Money,
    pub discount: Money,
    pub shipping: Money,
    pub tax: Money,
    pub total: Money,
    pub refunded: Money,
    pub prices_include_tax: bool,
    /// "VAT 19 %".
    pub tax_label: String,
    pub coupon_code: Option<String>,
    pub address: AddressInput,
    /// The billing address, when it is not the delivery address.
    #[serde(default)]
    pub billing: Option<AddressInput>,
    pub shipping_name: String,
    pub payment_method: PaymentMethod,
    /// Why the last card payment failed, if it did.
    pub payment_error: Option<String>,
    /// When an unpaid card order is cancelled if it is still not paid.
    pub pay_by: Option<Timestamp>,
    pub invoice_number: Option<i64>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub history: Vec<OrderEventView>,
    /// The customer may still cancel it (unpaid).
    pub can_cancel: bool,
    /// The customer may pay now (an unpaid card order).
    pub can_pay: bool,
    /// The customer may ask to return it.
    pub can_request_return: bool,
    /// Bank details for a bank transfer, with the reference to quote.
    pub bank_instructions: Option<shop_types::BankTransfer>,
    pub store_name: String,
}

/// A line in the customer's order history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: String,
    pub number: i64,
    pub status: OrderStatus,
    pub placed_at: Timestamp,
    pub total: Money,
    pub units: u32,
}
