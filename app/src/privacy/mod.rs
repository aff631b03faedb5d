//! Privacy: what the law lets a person ask of the shop about their data. The export of
//! everything the shop holds about an account (GDPR Art. 15 and 20) as one JSON document
//! (`export`), downloaded by its owner from the account page or by staff for a request made
//! by e-mail (both audited); the consent records (`consents`: every consent given or
//! withdrawn, with the version of its words and where). Erasure and retention belong here too.

#[cfg(feature = "ssr")]
pub mod consents;
#[cfg(feature = "ssr")]
pub mod export;
