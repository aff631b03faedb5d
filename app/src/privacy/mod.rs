//! Privacy: what the law lets a person ask of the shop about their data. The export of
//! everything the shop holds about an account (GDPR Art. 15 and 20) as one JSON document
//! (`export`), downloaded by its owner from the account page or by staff for a request made
//! by e-mail (both audited); the consent records (`consents`: every consent given or
//! withdrawn, with the version of its words and where); erasure that keeps the books
//! (`erasure`: the account goes, its data keys are destroyed, orders stay under a pseudonym),
//! asked for on `/account/delete` (`delete_account`); requests made by e-mail or letter,
//! recorded and answered within 30 days on `/admin/privacy` (`privacy_requests`,
//! `request_store`).

#[cfg(feature = "ssr")]
pub mod consents;
mod delete_account;
#[cfg(feature = "ssr")]
pub mod erasure;
#[cfg(feature = "ssr")]
pub mod export;
mod privacy_requests;
#[cfg(feature = "ssr")]
pub mod request_store;
pub mod views;

pub use delete_account::{AccountDeletedPage, DeleteAccount, DeleteAccountPage, delete_account};
pub use privacy_requests::{
    ClosePrivacyRequest, ListPrivacyRequests, PrivacyRequestsPage, RecordPrivacyRequest,
    close_privacy_request, list_privacy_requests, record_privacy_request,
};
