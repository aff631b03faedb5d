//! Values an installation makes once and keeps (`app_meta`): secrets for signed links, the
//! web push key pair. Every instance of a shop reads the same value from the database.

use super::db::Db;

/// The value stored under `key`, made by `make` and stored the first time it is asked for.
/// Two instances starting together agree: the first insert wins and both read it back.
pub async fn get_or_create(
    db: &Db,
    key: &str,
    make: impl FnOnce() -> String,
) -> Result<String, sqlx::Error> {
    // Read first: writing on every call would cost a write per use.
    let known: Option<String> = sqlx::query_scalar("SELECT value FROM app_meta WHERE key = $1")
        .bind(key)
        .fetch_optional(db.pool())
        .await?;
    if let Some(value) = known {
        return Ok(value);
    }
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .bind(key)
        .bind(make())
        .execute(db.pool())
        .await?;
    sqlx::query_scalar("SELECT value FROM app_meta WHERE key = $1")
        .bind(key)
        .fetch_one(db.pool())
        .await
}
