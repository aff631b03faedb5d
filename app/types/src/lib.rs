//! Plain serde types shared by every target: the SSR server, the hydrated browser app and the
//! service worker.
//!
//! Nothing here may depend on a database, a browser API or the clock: the same definitions must
//! compile for `x86_64` and `wasm32`. Values are parsed once at the edge (`Email::parse`,
//! `Quantity::new`, `Money::new`) and trusted everywhere inside.

pub mod address;
pub mod catalog;
pub mod consent;
pub mod email;
pub mod error;
pub mod html;
pub mod ids;
pub mod json_tagged;
pub mod messages;
pub mod money;
pub mod offline;
pub mod order;
pub mod paths;
pub mod quantity;
pub mod retention;
pub mod risk;
pub mod role;
pub mod time;
pub mod vendor;

pub use address::{AddressInput, COUNTRIES};
pub use email::Email;
pub use error::AppError;
pub use ids::PublicId;
pub use messages::{FieldName, Problem, Thing};
pub use money::{Currency, Money};
pub use order::{BankTransfer, HistoryNote, OrderStatus, PaymentMethod, StatusDetail};
pub use quantity::{CartLine, Quantity};
pub use risk::{RiskDecision, RiskReason, RiskSignal};
pub use role::{Permission, Role};
pub use time::Timestamp;
pub use vendor::{VendorRole, VendorStatus, VendorStep};
