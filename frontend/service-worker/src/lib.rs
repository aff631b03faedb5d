//! The shop's service worker, in Rust.
//!
//! A small classic script (`web/sw.js`, stamped with the build's version and `/pkg` files by
//! `web/stamp.sh`) registers the event listeners synchronously, as browsers require, loads
//! this module and forwards each event here. The worker:
//! - precaches the app shell and this build's `/pkg` files, and removes earlier builds'
//!   caches on activation (pages saved for offline are fetched again for the new build);
//! - serves catalog pages (home, products, categories, collections, search) stale-while-
//!   revalidate from a bounded cache, the shopper's own pages network-first, pictures cache-
//!   first, and the offline page for anything never seen; offline search answers from the
//!   products seen on the device;
//! - keeps cart additions and favourites made offline in IndexedDB with ids made here, and
//!   replays them (Background Sync, or when a page starts or comes online); the server applies
//!   each id once and reports conflicts, which pages show;
//! - shows push notifications and opens their page when clicked.
//!
//! The decisions are pure functions in `policy`, tested natively; `worker` and `idb` are the
//! browser plumbing. The types it shares with the app and server come from `shop-types`.

pub mod policy;

#[cfg(target_arch = "wasm32")]
mod idb;
#[cfg(target_arch = "wasm32")]
mod worker;

#[cfg(target_arch = "wasm32")]
pub use worker::*;
