//! The installable shop: the web app manifest and its icons (`manifest`), the replay of changes
//! made offline (now in `offline`), and the browser-side pieces that work
//! with the service worker (`client`): the offline banner, the install prompt, the "new
//! version" prompt, saving pages for offline and the sync report. The worker itself is the
//! `service-worker` crate (`frontend/service-worker`).

mod banners;
#[cfg(feature = "hydrate")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod manifest;

pub use banners::*;
