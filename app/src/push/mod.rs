//! Web push: shoppers opt in per device and topic (order updates, a favourite back in stock or
//! cheaper, promotions); causes queue messages in their own transaction; a job encrypts each
//! message for its device (`encryption`, RFC 8291), signs it (`vapid`, RFC 8292) and posts it
//! to the browser's push service (`push_service`). The service worker shows it.

#[cfg(feature = "ssr")]
pub mod alerts;
#[cfg(feature = "ssr")]
pub mod encryption;
mod get_push_status;
mod notifications_page;
#[cfg(feature = "ssr")]
pub mod push_service;
mod send_promotion;
mod subscribe_push;
#[cfg(feature = "ssr")]
pub mod templates;
mod unsubscribe_push;
#[cfg(feature = "ssr")]
pub mod vapid;

pub use get_push_status::*;
pub use notifications_page::*;
pub use send_promotion::*;
pub use subscribe_push::*;
pub use unsubscribe_push::*;
