//! Privacy: what the law lets a person ask of the shop about their data. Today the export of
//! everything the shop holds about an account (GDPR Art. 15 and 20) as one JSON document
//! (`export`), downloaded by its owner from the account page or by staff for a request made
//! by e-mail (both audited). Erasure, consent records and retention belong here too.

#[cfg(feature = "ssr")]
pub mod export;
