//! What a new installation needs on its first start, and the demo shop for `make run`.
//!
//! Every step is idempotent: it checks before it writes, so a restart never duplicates data.
//! Domains add their demo content here (the catalog's generated products, for example).

use super::clock::now;
use super::config::Config;
use super::db::Db;
use super::ids::new_id;

/// Code of the store a single-store installation serves.
pub const DEFAULT_STORE_CODE: &str = "default";

/// Creates the default store if there is none yet.
pub async fn ensure_default_store(db: &Db, config: &Config) -> Result<(), sqlx::Error> {
    let now = now().millis();
    sqlx::query(
        "INSERT INTO stores (id, code, name, default_currency, support_email, created_at, updated_at)
         VALUES ($1, $2, $3, $4, NULL, $5, $5)
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(new_id().to_string())
    .bind(DEFAULT_STORE_CODE)
    .bind(&config.store_name)
    .bind(&config.currency)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Loads the demo shop once (recorded in `app_meta`), when `SHOP_DEMO_DATA` is on.
/// Returns true if it loaded it now.
pub async fn load_demo_data_once(db: &Db) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ('demo_data_loaded', $1) ON CONFLICT (key) DO NOTHING",
    )
    .bind(now().to_rfc3339())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if claimed {
        sqlx::query(
            "UPDATE stores SET support_email = $1 WHERE code = $2 AND support_email IS NULL",
        )
        .bind("hello@demo-shop.example")
        .bind(DEFAULT_STORE_CODE)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(claimed)
}

/// Runs everything a start needs: the default store, then the demo data if configured.
pub async fn prepare(db: &Db, config: &Config) -> Result<(), sqlx::Error> {
    ensure_default_store(db, config).await?;
    if config.demo_data && load_demo_data_once(db).await? {
        tracing::info!("demo data loaded");
    }
    Ok(())
}
