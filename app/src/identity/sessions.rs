//! Server-side sessions.
//!
//! The cookie holds a 256-bit random token; the table holds its SHA-256, so a leaked database
//! cannot be replayed as cookies. A session ends after a period without use (idle timeout) or
//! at a fixed time after sign-in (absolute timeout); both are shorter for back-office accounts.
//! Every sign-in creates a new token (an old cookie can never be promoted), and "sign out
//! everywhere" deletes all of an account's rows.

use super::users::{User, find_by_id};
use crate::platform::clock::now;
use crate::platform::ids::new_id;
use crate::platform::secrets::{hash_secret, new_secret};
use shop_types::{Role, Timestamp};
use sqlx::{AnyConnection, Row};

/// How long a session may go unused, and how long it may last at all.
pub fn timeouts(role: Role) -> (i64, i64) {
    if role.is_back_office() {
        (2 * Timestamp::HOUR, 12 * Timestamp::HOUR)
    } else {
        (30 * Timestamp::DAY, 90 * Timestamp::DAY)
    }
}

/// Touch `last_seen_at` at most this often, so reading pages does not write on every request.
const TOUCH_EVERY: i64 = 5 * Timestamp::MINUTE;

/// A live session and its account.
#[derive(Clone, Debug)]
pub struct Session {
    pub public_id: String,
    pub user: User,
    pub expires_at: Timestamp,
}

/// A session as its owner sees it in the list of active sessions.
#[derive(Clone, Debug)]
pub struct SessionSummary {
    pub public_id: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub user_agent: String,
}

/// Starts a session for `user`; returns the cookie token and when it expires.
pub async fn create(
    conn: &mut AnyConnection,
    user: &User,
    user_agent: &str,
) -> Result<(String, Timestamp), sqlx::Error> {
    let token = new_secret();
    let now = now();
    let (_, absolute) = timeouts(user.role);
    let expires_at = now.plus_millis(absolute);
    let user_agent: String = user_agent.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO sessions (token_hash, public_id, user_id, created_at, last_seen_at, expires_at, user_agent)
         VALUES ($1, $2, $3, $4, $4, $5, $6)",
    )
    .bind(hash_secret(&token))
    .bind(new_id().to_string())
    .bind(&user.id)
    .bind(now.millis())
    .bind(expires_at.millis())
    .bind(user_agent)
    .execute(conn)
    .await?;
    Ok((token, expires_at))
}

/// The live session behind a cookie token, if any. Expired sessions are deleted on sight;
/// disabled accounts have no live sessions.
pub async fn find(
    conn: &mut AnyConnection,
    vault: &crate::platform::vault::Vault,
    token: &str,
) -> Result<Option<Session>, sqlx::Error> {
    let hash = hash_secret(token);
    let row = sqlx::query(
        "SELECT public_id, user_id, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let user_id: String = row.try_get("user_id")?;
    let last_seen: i64 = row.try_get("last_seen_at")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    let Some(user) = find_by_id(conn, vault, &user_id).await? else {
        return Ok(None);
    };
    let now = now().millis();
    let (idle, _) = timeouts(user.role);
    if user.disabled || now >= expires_at || now - last_seen >= idle {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .execute(&mut *conn)
            .await?;
        return Ok(None);
    }
    if now - last_seen >= TOUCH_EVERY {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Some(Session {
        public_id: row.try_get("public_id")?,
        user,
        expires_at: Timestamp(expires_at),
    }))
}

/// Ends the session behind a cookie token.
pub async fn delete_by_token(conn: &mut AnyConnection, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(hash_secret(token))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Ends one of `user_id`'s sessions by its public id; false if it was not theirs or not live.
pub async fn delete_for_user(
    conn: &mut AnyConnection,
    user_id: &str,
    public_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND public_id = $2")
        .bind(user_id)
        .bind(public_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every session of an account ("sign out everywhere", password change).
pub async fn delete_all_for_user(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// An account's live sessions, most recently used first.
pub async fn list_for_user(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<SessionSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT public_id, created_at, last_seen_at, user_agent FROM sessions
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .bind(now().millis())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SessionSummary {
                public_id: r.try_get("public_id")?,
                created_at: Timestamp(r.try_get("created_at")?),
                last_seen_at: Timestamp(r.try_get("last_seen_at")?),
                user_agent: r.try_get("user_agent")?,
            })
        })
        .collect()
}

/// Deletes sessions past their expiry (the hourly clean-up); how many went.
pub async fn prune_expired(db: &crate::platform::db::Db, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(now)
        .execute(db.pool())
        .await?
        .rows_affected())
}
