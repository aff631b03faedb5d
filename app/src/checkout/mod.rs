//! Checkout: from the cart to a placed order. Contact and address (checked per country),
//! shipping rates (flat, by weight, free over a threshold, per zone), tax per country and
//! region (prices shown with or without it, per store setting), coupon codes with limits that
//! hold under concurrency (the `coupons` domain), the arithmetic (`pricing`), the page, and
//! placing the order (`placement`: stock, coupon, number, mail in one transaction, idempotent
//! by the client's key).

mod apply_coupon;
mod checkout_page;
mod choose_shipping;
mod get_checkout;
mod place_order;
mod save_checkout_details;
pub mod views;

pub use apply_coupon::{ApplyCoupon, COUPON_TRIES, apply_coupon};
pub use checkout_page::CheckoutPage;
pub use choose_shipping::{ChooseShipping, choose_shipping};
pub use get_checkout::{GetCheckout, get_checkout};
pub use place_order::{PlaceOrder, place_order};
pub use save_checkout_details::{SaveCheckoutDetails, save_checkout_details};
pub use views::{AddressChoice, CheckoutView, PlacedOrder, QuoteView, ShippingOption};

#[cfg(feature = "ssr")]
pub mod checkout_service;
#[cfg(feature = "ssr")]
pub mod placement;
#[cfg(feature = "ssr")]
pub mod pricing;
