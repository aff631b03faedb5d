//! Store settings in the database.

use super::StoreInfo;
use crate::platform::seed::DEFAULT_STORE_CODE;
use shop_types::Currency;
use sqlx::{AnyConnection, Row};

/// The store this installation serves, if it was created.
pub async fn default_store(conn: &mut AnyConnection) -> Result<Option<StoreInfo>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT name, default_currency, support_email, logo_key FROM stores WHERE code = $1",
    )
    .bind(DEFAULT_STORE_CODE)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        let code: String = r.try_get("default_currency")?;
        Ok(StoreInfo {
            name: r.try_get("name")?,
            currency: Currency::parse(&code).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            support_email: r.try_get("support_email")?,
            base_url: String::new(),
            logo_key: r.try_get("logo_key")?,
        })
    })
    .transpose()
}

/// The default store's id (the key other tables refer to).
pub async fn default_store_id(conn: &mut AnyConnection) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM stores WHERE code = $1")
        .bind(DEFAULT_STORE_CODE)
        .fetch_optional(conn)
        .await
}
