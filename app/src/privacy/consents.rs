//! The consent records (`consent_records`): appended from `privacy.consent_changed` events,
//! read for a person's export. Append only: withdrawing adds a record, it erases none. A
//! record names its person by account or by the address's blind index, never the address.

use crate::platform::consent_trail::ConsentChange;
use crate::platform::vault::Vault;
use shop_types::Timestamp;
use sqlx::{AnyConnection, Row};

/// Keeps one consent change (once, however often its event is delivered).
pub async fn append(
    tx: &mut AnyConnection,
    vault: &Vault,
    change: &ConsentChange,
) -> Result<(), sqlx::Error> {
    // An event recorded before the blind index carries the address: indexed here.
    let index = change
        .email_index
        .clone()
        .or_else(|| change.email.as_deref().map(|e| vault.email_index(e)));
    sqlx::query(
        "INSERT INTO consent_records (id, user_id, email_index, purpose, given, wording, source, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&change.id)
    .bind(change.user_id.as_deref())
    .bind(index)
    .bind(&change.purpose)
    .bind(i64::from(change.given))
    .bind(&change.wording)
    .bind(&change.source)
    .bind(change.at.millis())
    .execute(tx)
    .await
    .map(|_| ())
}

/// One record as a person's export shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub purpose: String,
    pub given: bool,
    pub wording: String,
    pub source: String,
    pub at: Timestamp,
}

/// Forgets every consent record of an erased person (by account or address), in the
/// caller's transaction.
pub async fn forget(
    tx: &mut AnyConnection,
    vault: &Vault,
    user_id: &str,
    email: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM consent_records WHERE user_id = $1 OR email_index = $2")
        .bind(user_id)
        .bind(vault.email_index(email))
        .execute(tx)
        .await?;
    Ok(done.rows_affected())
}

/// The records of an account and of its e-mail address, oldest first.
pub async fn of_person(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: &str,
    email: &str,
) -> Result<Vec<Record>, sqlx::Error> {
    sqlx::query(
        "SELECT purpose, given, wording, source, at FROM consent_records
         WHERE user_id = $1 OR email_index = $2 ORDER BY at, id",
    )
    .bind(user_id)
    .bind(vault.email_index(email))
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(Record {
            purpose: r.try_get("purpose")?,
            given: r.try_get::<i64, _>("given")? == 1,
            wording: r.try_get("wording")?,
            source: r.try_get("source")?,
            at: Timestamp(r.try_get("at")?),
        })
    })
    .collect()
}

/// Replaces the address in up to `batch` records written before the blind index by its index
/// (start-up, `assembly::sealing`).
pub async fn seal_written_before(
    conn: &mut AnyConnection,
    vault: &Vault,
    batch: i64,
) -> Result<u64, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, email FROM consent_records WHERE email IS NOT NULL LIMIT $1")
            .bind(batch)
            .fetch_all(&mut *conn)
            .await?;
    for (id, email) in &rows {
        sqlx::query("UPDATE consent_records SET email = NULL, email_index = $1 WHERE id = $2")
            .bind(vault.email_index(email))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(rows.len() as u64)
}
