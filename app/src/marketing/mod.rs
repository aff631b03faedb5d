//! Marketing: newsletter consent today; segments, coupons, loyalty and referrals later.

mod newsletter_form;
#[cfg(feature = "ssr")]
pub mod newsletter_service;
mod subscribe_newsletter;
mod subscribed_page;

pub use newsletter_form::NewsletterSignup;
pub use subscribe_newsletter::{SubscribeNewsletter, subscribe_newsletter};
pub use subscribed_page::SubscribedPage;
