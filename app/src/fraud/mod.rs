//! Fraud scoring with reasons, and the staff's review queue.
//!
//! Every order placed is scored in its placing transaction (`assess`): explainable rules
//! (`rules`: throwaway e-mail domains from `disposable`, billing and delivery countries,
//! velocity per e-mail, network and browser, a first order far above the shop's average,
//! addresses and names reused across e-mail addresses) give reasons with points; the shop's
//! thresholds (store settings) decide accept, hold for review or cancel. Held orders cannot be
//! packed or shipped (`orders` refuses) until staff approve them on `/admin/risk`
//! (`review`); each decision is audited. `order_risk` is written by `risk_store` only and
//! keeps keyed hashes, never the e-mail, address or network it compares.

#[cfg(feature = "ssr")]
pub mod assess;
#[cfg(feature = "ssr")]
pub mod disposable;
#[cfg(feature = "ssr")]
pub mod review;
#[cfg(feature = "ssr")]
pub mod risk_store;
#[cfg(feature = "ssr")]
pub mod rules;

mod decide_review;
mod get_review_queue;
mod review_page;
pub mod views;

pub use decide_review::{DecideReview, decide_review};
pub use get_review_queue::{GetReviewQueue, get_review_queue};
pub use review_page::RiskReviewPage;
