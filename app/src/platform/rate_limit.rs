//! Rate limits kept in the database, so every instance counts the same attempts.
//!
//! A fixed window per key: the first hit opens a window of `window` length; hits beyond
//! `limit` inside it are refused with the time left. Keys say what they count, for example
//! `login:ip:203.0.113.9` or `login:account:anna@example.com:203.0.113.9`. Limiting an account
//! only together with the address the attempts come from means an attacker elsewhere can never
//! lock the real owner out.

use super::clock::now;
use super::db::Db;
use shop_types::AppError;
use std::time::Duration;

/// A limit: at most `limit` hits per `window`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub limit: i64,
    pub window: Duration,
}

/// Counts one hit on `key`. Returns `RateLimited` with the seconds until the window ends when
/// the key is over its limit.
pub async fn hit(db: &Db, key: &str, limit: Limit) -> Result<(), HitError> {
    let now = now().millis();
    let window_ms = limit.window.as_millis() as i64;
    // One statement: start a new window if the old one ended, otherwise count the hit.
    let (window_start, hits): (i64, i64) = sqlx::query_as(
        "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN rate_limits.window_start <= $2 - $3 THEN 1 ELSE rate_limits.hits + 1 END,
           window_start = CASE WHEN rate_limits.window_start <= $2 - $3 THEN $2 ELSE rate_limits.window_start END
         RETURNING window_start, hits",
    )
    .bind(key)
    .bind(now)
    .bind(window_ms)
    .fetch_one(db.pool())
    .await?;
    if hits > limit.limit {
        let retry_after_ms = (window_start + window_ms - now).max(1000);
        return Err(HitError::Limited(AppError::RateLimited {
            retry_after_secs: (retry_after_ms as u64).div_ceil(1000),
        }));
    }
    Ok(())
}

/// Forgets the hits on `key` (after a successful login, for example).
pub async fn reset(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_limits WHERE key = $1")
        .bind(key)
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// Deletes windows that ended long ago (housekeeping).
pub async fn prune(db: &Db, older_than: Duration) -> Result<u64, sqlx::Error> {
    let cutoff = now().millis() - older_than.as_millis() as i64;
    let done = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
        .bind(cutoff)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// A hit was refused, or could not be counted.
#[derive(Debug, thiserror::Error)]
pub enum HitError {
    #[error("{0}")]
    Limited(AppError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Counts one attempt on `key` (at most `max` per 15 minutes) or refuses with 429; what the
/// sign-in, registration, reset and order endpoints use.
pub async fn limit_attempts(db: &Db, key: &str, max: i64) -> Result<(), shop_types::AppError> {
    let window = Duration::from_secs(15 * 60);
    hit(db, key, Limit { limit: max, window })
        .await
        .map_err(|e| match e {
            HitError::Limited(e) => e,
            HitError::Db(e) => super::errors::internal("rate limit")(e),
        })
}
