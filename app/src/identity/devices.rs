//! Browsers an account has signed in from, so a sign-in from a new one can be told to its
//! owner. The browser keeps a random id in a long-lived cookie (`paths::cookies::DEVICE`); the
//! table keeps its SHA-256 per account. Clearing cookies makes a browser new again: a mail too
//! many is the safe side.

use crate::platform::secrets::hash_secret;
use shop_types::Timestamp;
use sqlx::AnyConnection;

/// How long the browser keeps its id (the most browsers allow, about 400 days).
pub const DEVICE_COOKIE_DAYS: i64 = 400;

/// What a sign-in's browser was to its account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Signed in from here before.
    Known,
    /// New here, but the account has signed in elsewhere before: tell the owner.
    New,
    /// The account's first browser ever (just registered): nothing to tell.
    First,
}

/// Notes that `user_id` signs in from the browser with id `device` now.
pub async fn remember(
    conn: &mut AnyConnection,
    user_id: &str,
    device: &str,
    user_agent: &str,
    now: Timestamp,
) -> Result<Seen, sqlx::Error> {
    let hash = hash_secret(device);
    let known = sqlx::query(
        "UPDATE known_devices SET last_seen_at = $1 WHERE user_id = $2 AND device_hash = $3",
    )
    .bind(now.millis())
    .bind(user_id)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    if known.rows_affected() == 1 {
        return Ok(Seen::Known);
    }
    let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM known_devices WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    let agent: String = user_agent.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO known_devices (user_id, device_hash, user_agent, first_seen_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(user_id)
    .bind(&hash)
    .bind(agent)
    .bind(now.millis())
    .execute(conn)
    .await?;
    Ok(if others == 0 { Seen::First } else { Seen::New })
}
