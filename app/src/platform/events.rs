//! Domain events through the job outbox.
//!
//! A write that matters to other domains records an event in its own transaction
//! ([`record`]): the event exists exactly when its cause committed. The domain that causes it
//! defines the event (a serde struct with a stable [`DomainEvent::KIND`]); what follows from it
//! (a push message, a mail, an audit entry) is subscribed by the composition root
//! (`assembly::reactions`), so the cause never imports its consequences.
//!
//! Delivery: the event is one job (`event:<kind>`); when it runs, the runner queues one job per
//! subscriber (`<kind>><subscriber>`, deduplicated by the event's id), so each reaction is
//! retried on its own and a failing push never repeats a mail. At least once: reactions must be
//! idempotent (or deduplicate, as push alerts do).

use super::jobs::{NewJob, enqueue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::AnyConnection;

/// Prefix of the job kind that carries an event before it is fanned out.
pub const EVENT_PREFIX: &str = "event:";

/// Something that happened, as other domains may react to it.
pub trait DomainEvent: Serialize + DeserializeOwned + Send + 'static {
    /// Stable name, `<domain>.<what happened>` (stored in jobs; never rename one in use).
    const KIND: &'static str;
}

/// The job kind of a subscriber's reaction to events of `kind`.
pub fn reaction_kind(kind: &str, subscriber: &str) -> String {
    format!("{kind}>{subscriber}")
}

/// Records `event` in the caller's transaction.
pub async fn record<E: DomainEvent>(tx: &mut AnyConnection, event: &E) -> Result<(), sqlx::Error> {
    let job = NewJob::new(format!("{EVENT_PREFIX}{}", E::KIND), event)
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    enqueue(&mut *tx, &job).await.map(|_| ())
}
