//! Values an installation makes once and keeps (`app_meta`): secrets for signed links, the
//! web push key pair. Every instance of a shop reads the same value from the database, once:
//! [`get_or_create`] keeps what it read in the `Db` (the values never change), so the order-link
//! secret is loaded once per process, not per link.

use super::db::Db;
use sqlx::AnyConnection;

/// The value stored under `key`, made by `make` and stored the first time it is asked for.
/// Two instances starting together agree: the first insert wins and both read it back.
pub async fn get_or_create(
    db: &Db,
    key: &str,
    make: impl FnOnce() -> String,
) -> Result<String, sqlx::Error> {
    if let Some(value) = db.kept(key) {
        return Ok(value);
    }
    // Read first: writing on every call would cost a write per use.
    let known: Option<String> = sqlx::query_scalar("SELECT value FROM app_meta WHERE key = $1")
        .bind(key)
        .fetch_optional(db.pool())
        .await?;
    let value = match known {
        Some(value) => value,
        None => {
            sqlx::query(
                "INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(make())
            .execute(db.pool())
            .await?;
            sqlx::query_scalar("SELECT value FROM app_meta WHERE key = $1")
                .bind(key)
                .fetch_one(db.pool())
                .await?
        }
    };
    db.keep(key, &value);
    Ok(value)
}

/// Stores `value` under `key` unless a value is there: true if this call stored it (a "once"
/// flag, claimed inside the caller's transaction).
pub async fn claim(tx: &mut AnyConnection, key: &str, value: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(value)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The value stored under `key`, if any.
pub async fn get(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM app_meta WHERE key = $1")
        .bind(key)
        .fetch_optional(db.pool())
        .await
}
