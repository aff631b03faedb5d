//! Data-subject requests (`privacy_requests`): recorded by staff when someone asks by e-mail,
//! letter or phone, closed when answered. The requester's address is sealed with the shop's
//! key and blanked when the request is closed.

use super::views::PrivacyRequest;
use crate::platform::clock::now;
use crate::platform::ids::new_id;
use crate::platform::vault::Vault;
use shop_types::Timestamp;
use sqlx::{AnyConnection, Row};

/// The law's deadline for an answer (GDPR Art. 12(3)): one month, counted as 30 days.
pub const DEADLINE_DAYS: i64 = 30;

/// Records a request received now; returns its id.
pub async fn record(
    tx: &mut AnyConnection,
    vault: &Vault,
    kind: &str,
    email: &str,
) -> Result<String, sqlx::Error> {
    let id = new_id().to_string();
    let at = now().millis();
    let key = vault.shop_key();
    sqlx::query(
        "INSERT INTO privacy_requests (id, kind, email, email_index, received_at, due_at, key_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(kind)
    .bind(key.seal("privacy_requests.email", email))
    .bind(vault.email_index(email))
    .bind(at)
    .bind(at + DEADLINE_DAYS * Timestamp::DAY)
    .bind(key.id())
    .execute(tx)
    .await?;
    Ok(id)
}

/// Closes an open request with `outcome` (and the pseudonym an erasure left); false if it is
/// unknown or already closed.
pub async fn close(
    tx: &mut AnyConnection,
    id: &str,
    outcome: &str,
    pseudonym: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE privacy_requests SET closed_at = $1, outcome = $2, pseudonym = $3, email = '', email_index = ''
         WHERE id = $4 AND closed_at IS NULL",
    )
    .bind(now().millis())
    .bind(outcome)
    .bind(pseudonym)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One request, if it is open: its kind and the requester's address.
pub async fn open_one(
    conn: &mut AnyConnection,
    vault: &Vault,
    id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT kind, email, key_id FROM privacy_requests WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let key: Option<String> = r.try_get("key_id")?;
    let email = vault
        .opener(conn, key.as_deref())
        .await?
        .open("privacy_requests.email", &r.try_get::<String, _>("email")?)?;
    Ok(Some((r.try_get("kind")?, email)))
}

/// Open requests, soonest deadline first, then the 50 latest closed ones.
pub async fn list(
    conn: &mut AnyConnection,
    vault: &Vault,
) -> Result<(Vec<PrivacyRequest>, Vec<PrivacyRequest>), sqlx::Error> {
    let read = |sql: &'static str| sqlx::query(sql);
    let open = read(
        "SELECT r.*, (SELECT u.id FROM users u WHERE u.email_index = r.email_index AND u.role = 'customer') AS account_id
         FROM privacy_requests r WHERE r.closed_at IS NULL ORDER BY r.due_at, r.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let closed = read(
        "SELECT r.*, CAST(NULL AS TEXT) AS account_id FROM privacy_requests r
         WHERE r.closed_at IS NOT NULL ORDER BY r.closed_at DESC, r.id LIMIT 50",
    )
    .fetch_all(&mut *conn)
    .await?;
    let opener = crate::platform::vault::Opener::Key(vault.shop_key().clone());
    let row = |r: &sqlx::any::AnyRow| -> Result<PrivacyRequest, sqlx::Error> {
        Ok(PrivacyRequest {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            email: opener.open("privacy_requests.email", &r.try_get::<String, _>("email")?)?,
            received_at: Timestamp(r.try_get("received_at")?),
            due_at: Timestamp(r.try_get("due_at")?),
            closed_at: r.try_get::<Option<i64>, _>("closed_at")?.map(Timestamp),
            outcome: r.try_get("outcome")?,
            pseudonym: r.try_get("pseudonym")?,
            account_id: r.try_get("account_id")?,
        })
    };
    Ok((
        open.iter().map(row).collect::<Result<_, _>>()?,
        closed.iter().map(row).collect::<Result<_, _>>()?,
    ))
}
