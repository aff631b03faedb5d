//! The shopping cart: for guests (a cookie naming a server-side cart) and accounts, merged at
//! sign-in. Lines hold variants and quantities only; prices, stock and limits are checked on
//! the server every time (`cart_service`). Checkout, payments and orders build on it.

mod add_to_cart;
mod cart_page;
mod get_cart;
mod get_cart_units;
mod update_cart_line;
pub mod views;

pub use add_to_cart::{AddToCart, add_to_cart};
pub use cart_page::{AddToCartForm, CartPage};
pub use get_cart::{GetCart, get_cart};
pub use get_cart_units::{GetCartUnits, get_cart_units};
pub use update_cart_line::{UpdateCartLine, update_cart_line};
pub use views::{CartLineView, CartView, MAX_LINE_UNITS, MAX_LINES};

#[cfg(feature = "ssr")]
pub mod cart_service;
#[cfg(feature = "ssr")]
pub mod owner;

/// Units in the shopper's cart, shown on the header's cart link. The cart keeps it current;
/// an empty cart shows no badge.
#[derive(Clone, Copy, Default)]
pub struct CartCount(pub leptos::prelude::RwSignal<u32>);
