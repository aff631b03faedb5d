//! Content-Security-Policy violation reports: browsers post what the policy blocked to
//! `/csp-report` (the server's handler reads them with `store::parse`, limited per address,
//! and keeps them with `store::record`); admins read them grouped at `/admin/security`.

mod list_violations;
pub mod views;
mod violations_page;

#[cfg(feature = "ssr")]
pub mod store;

pub use list_violations::{ListViolations, list_violations};
pub use violations_page::ViolationsPage;
