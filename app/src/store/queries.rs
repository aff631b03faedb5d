//! The one read of the store's row. Every domain that needs the shop's name, currency, tax
//! display or contact calls these, at the moment it needs them, so a shop renamed in Settings
//! is named anew in the next page, mail and payment (nothing is copied at start-up).

use super::{DEFAULT_STORE_CODE, StoreInfo};
use shop_types::Currency;
use sqlx::{AnyConnection, Row};

/// The store as services need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    /// The key other tables refer to.
    pub id: String,
    pub name: String,
    pub currency: Currency,
    /// Prices shown and entered include tax (else tax is added at checkout).
    pub prices_include_tax: bool,
    pub support_email: Option<String>,
    pub logo_key: Option<String>,
}

/// The store this installation serves, if it was created (it is at start-up).
pub async fn find(conn: &mut AnyConnection) -> Result<Option<Store>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, name, default_currency, prices_include_tax, support_email, logo_key
         FROM stores WHERE code = $1",
    )
    .bind(DEFAULT_STORE_CODE)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        let code: String = r.try_get("default_currency")?;
        Ok(Store {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            currency: Currency::parse(&code).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            prices_include_tax: r.try_get::<i64, _>("prices_include_tax")? == 1,
            support_email: r.try_get("support_email")?,
            logo_key: r.try_get("logo_key")?,
        })
    })
    .transpose()
}

/// The store; an error if it was never created.
pub async fn current(conn: &mut AnyConnection) -> Result<Store, sqlx::Error> {
    find(conn).await?.ok_or(sqlx::Error::RowNotFound)
}

/// The store's currency (products are priced in it).
pub async fn store_currency(conn: &mut AnyConnection) -> Result<Currency, sqlx::Error> {
    Ok(current(conn).await?.currency)
}

/// What every page needs to know about the store, if it was created.
pub async fn default_store(conn: &mut AnyConnection) -> Result<Option<StoreInfo>, sqlx::Error> {
    Ok(find(conn).await?.map(|s| StoreInfo {
        name: s.name,
        currency: s.currency,
        support_email: s.support_email,
        base_url: String::new(),
        logo_key: s.logo_key,
    }))
}

/// The default store's id (the key other tables refer to).
pub async fn default_store_id(conn: &mut AnyConnection) -> Result<Option<String>, sqlx::Error> {
    Ok(find(conn).await?.map(|s| s.id))
}

/// How long each kind of data is kept (set on the console's store settings; enforced by the
/// hourly clean-up).
pub async fn retention_periods(
    conn: &mut AnyConnection,
) -> Result<Vec<shop_types::retention::RetentionPeriod>, sqlx::Error> {
    let stored: Vec<(String, i64)> = sqlx::query_as("SELECT kind, days FROM retention_periods")
        .fetch_all(conn)
        .await?;
    Ok(shop_types::retention::periods_from(&stored))
}

/// The risk scores at which a new order is held for review and at which it is cancelled
/// (see `fraud`; set on the console's store settings).
pub async fn risk_scores(conn: &mut AnyConnection) -> Result<(u32, u32), sqlx::Error> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT risk_review_score, risk_cancel_score FROM stores WHERE code = $1")
            .bind(DEFAULT_STORE_CODE)
            .fetch_optional(conn)
            .await?;
    let (review, cancel) = row.unwrap_or((60, 90));
    let clamp = |v: i64| u32::try_from(v.clamp(1, 101)).unwrap_or(101);
    Ok((clamp(review), clamp(cancel)))
}

/// What the operator asks of a vendor before it sells (set on the console's store settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VendorRules {
    /// Products a vendor must have listed before its checklist is complete.
    pub min_products: u32,
    /// Whether staff review a completed checklist (otherwise it approves the vendor at once).
    pub review_required: bool,
}

/// The vendor rules of the shop (defaults: no minimum, staff review).
pub async fn vendor_rules(conn: &mut AnyConnection) -> Result<VendorRules, sqlx::Error> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT vendor_min_products, vendor_review_required FROM stores WHERE code = $1",
    )
    .bind(DEFAULT_STORE_CODE)
    .fetch_optional(conn)
    .await?;
    let (min, review) = row.unwrap_or((0, 1));
    Ok(VendorRules {
        min_products: u32::try_from(min.clamp(0, 10_000)).unwrap_or(0),
        review_required: review != 0,
    })
}
