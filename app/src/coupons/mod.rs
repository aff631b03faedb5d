//! Coupon codes: what one takes off (`effect`: percent, fixed, free shipping) and the rules of
//! use (`rules`: minimum, validity window, total and per-customer limits, redemptions given
//! back when an order is cancelled). Checkout applies them; the console adds them in
//! `settings`. Server only.

pub mod effect;
pub mod rules;

pub use effect::CouponEffect;
