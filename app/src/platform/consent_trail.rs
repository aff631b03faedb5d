//! Consent given or withdrawn, as an event: the domain where it happens (the newsletter, push
//! topics) records it in its own transaction, and `privacy::consents` keeps the record (wired
//! in `assembly::reactions`), so a consent and its record exist together or not at all.

use super::events::DomainEvent;
use serde::{Deserialize, Serialize};
use shop_types::Timestamp;
use sqlx::AnyConnection;

/// One consent given or withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentChange {
    /// Unique: a re-delivered event is kept once.
    pub id: String,
    pub at: Timestamp,
    /// The account, when the person has one.
    pub user_id: Option<String>,
    /// The address's blind index (`Vault::email_index`), for consents given by e-mail address
    /// (the newsletter): the event and the record never carry the address itself.
    #[serde(default)]
    pub email_index: Option<String>,
    /// The address in clear: only in events recorded before the blind index (read, never
    /// written; `privacy::consents` indexes it when it keeps the record).
    #[serde(default, skip_serializing)]
    pub email: Option<String>,
    /// `shop_types::consent::NEWSLETTER`, `push.<topic>`.
    pub purpose: String,
    pub given: bool,
    /// The version of the words agreed to (`shop_types::consent`).
    pub wording: String,
    /// Where: `storefront_footer`, `notifications_page`.
    pub source: String,
}

impl DomainEvent for ConsentChange {
    const KIND: &'static str = "privacy.consent_changed";
}

/// What is recorded, without the id and time (given by [`record`]).
#[derive(Clone, Debug)]
pub struct Change<'a> {
    pub user_id: Option<&'a str>,
    pub email_index: Option<&'a str>,
    pub purpose: &'a str,
    pub given: bool,
    pub wording: &'a str,
    pub source: &'a str,
}

/// Records a consent change in the caller's transaction.
pub async fn record(tx: &mut AnyConnection, change: &Change<'_>) -> Result<(), sqlx::Error> {
    let event = ConsentChange {
        id: super::ids::new_id().to_string(),
        at: super::clock::now(),
        user_id: change.user_id.map(str::to_owned),
        email_index: change.email_index.map(str::to_owned),
        email: None,
        purpose: change.purpose.to_owned(),
        given: change.given,
        wording: change.wording.to_owned(),
        source: change.source.to_owned(),
    };
    super::events::record(tx, &event).await
}
