//! The shop's service worker, in Rust.
//!
//! A small classic script (`web/sw.js`, stamped with the build's version by `web/stamp.sh`)
//! registers the event listeners synchronously, as browsers require, loads this module and
//! forwards each event here. Today the worker:
//! - precaches the offline page and what it needs (`on_install`),
//! - removes caches of earlier builds (`on_activate`),
//! - answers page navigations from the network and, when the network fails, with the offline
//!   page (`on_fetch`).
//!
//! The offline catalogue, background sync of cart and favourites and web push build on this
//! (see the PWA issue); the caching rules stay in the pure functions below so they are tested
//! natively with `cargo test`.

pub mod policy;

#[cfg(target_arch = "wasm32")]
mod worker;

#[cfg(target_arch = "wasm32")]
pub use worker::*;
