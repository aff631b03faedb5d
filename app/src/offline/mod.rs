//! Changes a shopper made offline (cart additions and favourites, queued by the service
//! worker), replayed once the device is back: `sync_offline_changes` is the endpoint,
//! `offline_sync` applies each change once (keyed by the device's change id) and reports sold
//! out, withdrawn and re-priced items as conflicts. The worker itself lives in
//! `frontend/service-worker`; the page-side notices in `pwa`.

#[cfg(feature = "ssr")]
pub mod offline_sync;
mod sync_offline_changes;

pub use sync_offline_changes::*;
