//! Queueing mail in the caller's transaction. A queued mail (recipient, names, addresses) is
//! personal data: the job holds it sealed with the shop's data key (`platform::vault`).

use super::templates::OutgoingEmail;
use crate::platform::jobs::{JobFailure, NewJob, enqueue};
use crate::platform::vault::{Opener, Vault};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Executor};

/// The job kind that delivers one mail.
pub const SEND_EMAIL: &str = "email.send";
/// The sealed field's name (binds the ciphertext to this use).
const FIELD: &str = "jobs.email";

/// A queued mail: an [`OutgoingEmail`] as JSON, sealed with the shop's key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SealedEmail {
    pub sealed: String,
}

impl crate::platform::jobs::Job for SealedEmail {
    const KIND: &'static str = SEND_EMAIL;
}

impl SealedEmail {
    fn seal(vault: &Vault, email: &OutgoingEmail) -> Result<Self, sqlx::Error> {
        let json = serde_json::to_string(email).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        Ok(Self {
            sealed: vault.shop_key().seal(FIELD, &json),
        })
    }

    /// The mail, opened (a job that does not open can never be delivered).
    pub fn open(&self, vault: &Vault) -> Result<OutgoingEmail, JobFailure> {
        let json = Opener::Key(vault.shop_key().clone())
            .open(FIELD, &self.sealed)
            .map_err(|e| JobFailure::permanent(format!("queued mail does not open: {e}")))?;
        serde_json::from_str(&json)
            .map_err(|e| JobFailure::permanent(format!("queued mail is not a mail: {e}")))
    }
}

/// Queues `email` on `ex` (normally the transaction that caused it).
pub async fn queue<'e, E>(ex: E, vault: &Vault, email: &OutgoingEmail) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let job = NewJob::of(&SealedEmail::seal(vault, email)?)
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    enqueue(ex, &job).await.map(|_| ())
}

/// Queues `email` unless a mail with the same `once` key was queued before: for reactions,
/// which may run twice (at-least-once delivery).
pub async fn queue_once<'e, E>(
    ex: E,
    vault: &Vault,
    email: &OutgoingEmail,
    once: &str,
) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let job = NewJob::of(&SealedEmail::seal(vault, email)?)
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?
        .dedupe(format!("mail:{once}"));
    enqueue(ex, &job).await.map(|_| ())
}
