//! Queueing mail in the caller's transaction.

use super::templates::OutgoingEmail;
use crate::platform::jobs::{NewJob, enqueue};
use sqlx::{Any, Executor};

/// The job kind that delivers one mail.
pub const SEND_EMAIL: &str = "email.send";

impl crate::platform::jobs::Job for OutgoingEmail {
    const KIND: &'static str = SEND_EMAIL;
}

/// Queues `email` on `ex` (normally the transaction that caused it).
pub async fn queue<'e, E>(ex: E, email: &OutgoingEmail) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let job = NewJob::of(email).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    enqueue(ex, &job).await.map(|_| ())
}

/// Queues `email` unless a mail with the same `once` key was queued before: for reactions,
/// which may run twice (at-least-once delivery).
pub async fn queue_once<'e, E>(ex: E, email: &OutgoingEmail, once: &str) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let job = NewJob::of(email)
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?
        .dedupe(format!("mail:{once}"));
    enqueue(ex, &job).await.map(|_| ())
}
