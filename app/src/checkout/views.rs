//! The checkout as every target sees it.

use crate::cart::CartView;
use serde::{Deserialize, Serialize};
use shop_types::{AddressInput, Money, PaymentMethod};

/// One shipping rate offered for the entered address and parcel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingOption {
    pub id: String,
    pub name: String,
    pub price: Money,
    /// "2–3 working days", as the admin wrote it.
    pub delivery_days: String,
}

/// A saved address the shopper may pick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressChoice {
    pub id: String,
    pub address: AddressInput,
}

/// The money of the checkout as it stands, computed on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteView {
    pub subtotal: Money,
    pub discount: Money,
    /// `None` until a shipping method is chosen.
    pub shipping: Option<Money>,
    pub tax: Money,
    pub total: Money,
    /// "VAT 19 %" or "Sales tax 8.875 %"; empty while no address is known.
    pub tax_label: String,
    /// Prices shown include tax (the store's setting).
    pub prices_include_tax: bool,
}

/// Everything the checkout page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutView {
    pub cart: CartView,
    pub signed_in: bool,
    pub email: String,
    /// The delivery address, once entered.
    pub address: Option<AddressInput>,
    /// The billing address, when it is not the delivery address.
    pub billing: Option<AddressInput>,
    pub saved_addresses: Vec<AddressChoice>,
    /// Rates for the entered address (empty before one is entered).
    pub shipping_options: Vec<ShippingOption>,
    pub shipping_rate_id: Option<String>,
    /// The applied coupon's code and what it does, in words.
    pub coupon: Option<(String, String)>,
    /// Why the applied coupon no longer counts, if it does not.
    pub coupon_problem: Option<String>,
    pub quote: Option<QuoteView>,
    pub payment_methods: Vec<PaymentMethod>,
    /// A fresh key for the "Place order" form: resending the same form returns the same order.
    pub idempotency_key: String,
    /// What still stops the order, in words (empty when it can be placed).
    pub missing: Vec<shop_types::Problem>,
}

/// Where the shopper goes after placing an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedOrder {
    pub order_id: String,
    /// The payment page (cards) or the order's confirmation page.
    pub next_url: String,
}
