//! The tamper-evident audit log: every staff action and security event, appended in order with
//! each row's hash covering the one before it (`store`), searchable at `/admin/audit`,
//! downloadable as CSV, and checked by `server audit verify`. Causes do not call this folder:
//! they record `platform::audit_trail::Entry` events in their own transactions, and the
//! `assembly::reactions` subscription appends them here.

mod audit_page;
mod list_audit;
pub mod views;

#[cfg(feature = "ssr")]
pub mod store;

pub use audit_page::AuditPage;
pub use list_audit::{ListAudit, list_audit};
