//! Reading and checking the console's settings: store details, tax rates, shipping zones and
//! rates, coupons. Each write is one statement or one transaction; inputs are checked here so
//! the server functions stay thin.

use super::admin_views::*;
use crate::platform::clock::now;
use crate::platform::ids::new_id;
use crate::store::DEFAULT_STORE_CODE;
use shop_types::{AppError, Currency, Money, Timestamp};
use shop_types::{FieldName, Problem, Thing};
use sqlx::{AnyConnection, Row};

fn bad(field: &str, problem: Problem) -> AppError {
    AppError::validation(field, problem)
}

/// Everything but staff.
pub async fn settings(conn: &mut AnyConnection) -> Result<SettingsView, sqlx::Error> {
    let s = sqlx::query(
        "SELECT name, COALESCE(support_email, '') AS support_email, contact_phone, contact_address, default_currency,
                prices_include_tax, low_stock_threshold, logo_key, risk_review_score, risk_cancel_score,
                vendor_min_products, vendor_review_required
         FROM stores WHERE code = $1",
    )
    .bind(DEFAULT_STORE_CODE)
    .fetch_one(&mut *conn)
    .await?;
    let currency_code: String = s.try_get("default_currency")?;
    let currency = Currency::parse(&currency_code).unwrap_or(Currency::EUR);
    let other: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE currency <> $1")
        .bind(&currency_code)
        .fetch_one(&mut *conn)
        .await?;
    let any: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products")
        .fetch_one(&mut *conn)
        .await?;
    let store = StoreSettings {
        name: s.try_get("name")?,
        support_email: s.try_get("support_email")?,
        contact_phone: s.try_get("contact_phone")?,
        contact_address: s.try_get("contact_address")?,
        currency: currency_code.clone(),
        prices_include_tax: s.try_get::<i64, _>("prices_include_tax")? == 1,
        low_stock_threshold: s.try_get("low_stock_threshold")?,
        logo_key: s.try_get("logo_key")?,
        currency_locked: any > 0 || other > 0,
        risk_review_score: s.try_get("risk_review_score")?,
        risk_cancel_score: s.try_get("risk_cancel_score")?,
        vendor_min_products: s.try_get("vendor_min_products")?,
        vendor_review_required: s.try_get::<i64, _>("vendor_review_required")? != 0,
    };
    let taxes = sqlx::query(
        "SELECT id, country, region, name, rate_bp FROM tax_rates ORDER BY country, region",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(TaxRateRow {
            id: r.try_get("id")?,
            country: r.try_get("country")?,
            region: r.try_get("region")?,
            name: r.try_get("name")?,
            rate_bp: r.try_get("rate_bp")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let mut zones = Vec::new();
    for z in sqlx::query("SELECT id, name, countries FROM shipping_zones ORDER BY position, name")
        .fetch_all(&mut *conn)
        .await?
    {
        let id: String = z.try_get("id")?;
        let rates = sqlx::query(
            "SELECT id, name, kind, price_minor, per_kg_minor, min_weight_g, max_weight_g, free_over_minor, delivery_days
             FROM shipping_rates WHERE zone_id = $1 ORDER BY position, name",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let money = |m: i64| Money::new(m, currency).to_string();
            let kind: String = r.try_get("kind")?;
            let mut summary = match kind.as_str() {
                "weight" => format!("{} + {} per started kg", money(r.try_get("price_minor")?), money(r.try_get("per_kg_minor")?)),
                _ => format!("Flat {}", money(r.try_get("price_minor")?)),
            };
            if let Some(min) = r.try_get::<Option<i64>, _>("min_weight_g")? {
                summary.push_str(&format!(", from {min} g"));
            }
            if let Some(max) = r.try_get::<Option<i64>, _>("max_weight_g")? {
                summary.push_str(&format!(", up to {max} g"));
            }
            if let Some(free) = r.try_get::<Option<i64>, _>("free_over_minor")? {
                summary.push_str(&format!(", free from {}", money(free)));
            }
            Ok(RateRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                summary,
                delivery_days: r.try_get("delivery_days")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        zones.push(ZoneRow {
            id,
            name: z.try_get("name")?,
            countries: z.try_get("countries")?,
            rates,
        });
    }
    let coupons = sqlx::query(
        "SELECT id, code, kind, value, min_subtotal_minor, starts_at, ends_at, usage_limit, per_customer_limit, times_used
         FROM coupons ORDER BY created_at DESC, code",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let kind: String = r.try_get("kind")?;
        let value: i64 = r.try_get("value")?;
        let min: i64 = r.try_get("min_subtotal_minor")?;
        Ok(CouponRow {
            id: r.try_get("id")?,
            code: r.try_get("code")?,
            value: match kind.as_str() {
                "percent" => format!("{value} % off"),
                "fixed" => format!("{} off", Money::new(value, currency)),
                _ => "Free shipping".into(),
            },
            min_subtotal: (min > 0).then(|| Money::new(min, currency)),
            starts_at: r.try_get::<Option<i64>, _>("starts_at")?.map(Timestamp),
            ends_at: r.try_get::<Option<i64>, _>("ends_at")?.map(Timestamp),
            usage_limit: r.try_get("usage_limit")?,
            per_customer_limit: r.try_get("per_customer_limit")?,
            times_used: r.try_get("times_used")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let retention = crate::store::queries::retention_periods(&mut *conn).await?;
    Ok(SettingsView {
        store,
        taxes,
        zones,
        coupons,
        retention,
    })
}

/// The store's details as the form sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoreForm {
    pub name: String,
    pub support_email: String,
    pub contact_phone: String,
    pub contact_address: String,
    pub currency: String,
    pub prices_include_tax: bool,
    pub low_stock_threshold: String,
}

/// The store's details as the audit log compares them before and after a change.
pub async fn store_audit_view(conn: &mut AnyConnection) -> Result<serde_json::Value, AppError> {
    let store = crate::store::queries::current(conn)
        .await
        .map_err(crate::platform::errors::internal("settings: store"))?;
    Ok(serde_json::json!({
        "name": store.name,
        "currency": store.currency.code(),
        "prices_include_tax": store.prices_include_tax,
        "support_email": store.support_email,
        "logo": store.logo_key,
    }))
}

/// Records a settings change made by `session`'s account (what was given, as `after`).
pub async fn audit_setting(
    tx: &mut AnyConnection,
    session: &crate::identity::sessions::Session,
    action: &str,
    subject: &str,
    after: serde_json::Value,
) -> Result<(), AppError> {
    crate::platform::audit_trail::record(
        tx,
        &crate::identity::auth::who(session),
        action,
        subject,
        None,
        Some(after),
    )
    .await
    .map_err(crate::platform::errors::internal("settings: audit"))
}

/// Checks and saves the store's details.
pub async fn save_store(conn: &mut AnyConnection, form: &StoreForm) -> Result<(), AppError> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(bad("name", Problem::StoreNameLength));
    }
    let email = match form.support_email.trim() {
        "" => None,
        e => Some(
            shop_types::Email::parse(e)
                .map_err(|_| bad("support_email", Problem::SupportEmailInvalid))?
                .to_string(),
        ),
    };
    if form.contact_phone.trim().chars().count() > 40 {
        return Err(bad(
            "contact_phone",
            Problem::TooLongField {
                what: FieldName::PhoneNumber,
                max: 40,
            },
        ));
    }
    if form.contact_address.trim().chars().count() > 300 {
        return Err(bad(
            "contact_address",
            Problem::TooLongField {
                what: FieldName::Address,
                max: 300,
            },
        ));
    }
    let currency = Currency::parse(form.currency.trim())
        .map_err(|_| bad("currency", Problem::CurrencyCodeInvalid))?;
    let threshold: i64 = form
        .low_stock_threshold
        .trim()
        .parse()
        .ok()
        .filter(|t| (0..=10_000).contains(t))
        .ok_or_else(|| bad("low_stock_threshold", Problem::LowStockThresholdInvalid))?;
    let internal = crate::platform::errors::internal("settings: store");
    let current: String = sqlx::query_scalar("SELECT default_currency FROM stores WHERE code = $1")
        .bind(DEFAULT_STORE_CODE)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
    if current != currency.code() {
        let products: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products")
            .fetch_one(&mut *conn)
            .await
            .map_err(crate::platform::errors::internal("settings: products"))?;
        if products > 0 {
            return Err(bad("currency", Problem::CurrencyLockedByProducts));
        }
    }
    sqlx::query(
        "UPDATE stores SET name = $1, support_email = $2, contact_phone = $3, contact_address = $4, default_currency = $5,
                prices_include_tax = $6, low_stock_threshold = $7, updated_at = $8 WHERE code = $9",
    )
    .bind(name)
    .bind(email)
    .bind(form.contact_phone.trim())
    .bind(form.contact_address.trim())
    .bind(currency.code())
    .bind(i64::from(form.prices_include_tax))
    .bind(threshold)
    .bind(now().millis())
    .bind(DEFAULT_STORE_CODE)
    .execute(&mut *conn)
    .await
    .map_err(crate::platform::errors::internal("settings: save store"))?;
    Ok(())
}

/// Checks and saves the risk scores at which new orders are held for review and cancelled;
/// returns them.
pub async fn save_risk_scores(
    conn: &mut AnyConnection,
    review: &str,
    cancel: &str,
) -> Result<(i64, i64), AppError> {
    let parse = |text: &str| text.trim().parse::<i64>().ok();
    let (review, cancel) = match (parse(review), parse(cancel)) {
        (Some(r), Some(c)) if (1..=100).contains(&r) && (r..=101).contains(&c) => (r, c),
        (Some(r), _) if (1..=100).contains(&r) => {
            return Err(bad("risk_cancel_score", Problem::RiskScoresInvalid));
        }
        _ => return Err(bad("risk_review_score", Problem::RiskScoresInvalid)),
    };
    sqlx::query(
        "UPDATE stores SET risk_review_score = $1, risk_cancel_score = $2, updated_at = $3 WHERE code = $4",
    )
    .bind(review)
    .bind(cancel)
    .bind(now().millis())
    .bind(DEFAULT_STORE_CODE)
    .execute(&mut *conn)
    .await
    .map_err(crate::platform::errors::internal("settings: risk scores"))?;
    Ok((review, cancel))
}

/// Checks and saves what the marketplace asks of a vendor before it sells: `min_products`
/// (0 to 1,000) and whether staff review a completed checklist; returns them.
pub async fn save_vendor_rules(
    conn: &mut AnyConnection,
    min_products: &str,
    review_required: bool,
) -> Result<(i64, bool), AppError> {
    let min = min_products
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=1000).contains(n))
        .ok_or_else(|| {
            bad(
                "vendor_min_products",
                Problem::VendorMinimumProducts { max: 1000 },
            )
        })?;
    sqlx::query(
        "UPDATE stores SET vendor_min_products = $1, vendor_review_required = $2, updated_at = $3 WHERE code = $4",
    )
    .bind(min)
    .bind(i64::from(review_required))
    .bind(now().millis())
    .bind(DEFAULT_STORE_CODE)
    .execute(&mut *conn)
    .await
    .map_err(crate::platform::errors::internal("settings: vendor rules"))?;
    Ok((min, review_required))
}

/// Checks and saves the retention periods (days per kind, as the form sends them); returns
/// them. Every value must be within its kind's range, or nothing is saved.
pub async fn save_retention(
    conn: &mut AnyConnection,
    values: &[(shop_types::retention::DataKind, String)],
) -> Result<Vec<(shop_types::retention::DataKind, u32)>, AppError> {
    use shop_types::retention::DataKind;
    let mut checked = Vec::new();
    for (kind, text) in values {
        let (min, max) = (kind.min_days(), DataKind::MAX_DAYS);
        match text.trim().parse::<u32>() {
            Ok(days) if (min..=max).contains(&days) => checked.push((*kind, days)),
            _ => {
                return Err(bad(kind.as_str(), Problem::DaysBetween { min, max }));
            }
        }
    }
    for (kind, days) in &checked {
        sqlx::query(
            "INSERT INTO retention_periods (kind, days) VALUES ($1, $2)
             ON CONFLICT (kind) DO UPDATE SET days = excluded.days",
        )
        .bind(kind.as_str())
        .bind(i64::from(*days))
        .execute(&mut *conn)
        .await
        .map_err(crate::platform::errors::internal("settings: retention"))?;
    }
    Ok(checked)
}

/// A two-letter country code in capitals.
fn country(field: &str, text: &str) -> Result<String, AppError> {
    let c = text.trim().to_ascii_uppercase();
    if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(c)
    } else {
        Err(bad(field, Problem::CountryCodeInvalid))
    }
}

/// Saves a tax rate (a second rate for the same country and region replaces the first).
pub async fn save_tax(
    conn: &mut AnyConnection,
    country_text: &str,
    region: &str,
    name: &str,
    rate: &str,
) -> Result<(), AppError> {
    let country = country("country", country_text)?;
    let region = region.trim().to_ascii_uppercase();
    if region.len() > 10
        || !region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(bad("region", Problem::RegionCodeInvalid));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(bad("name", Problem::TaxNameLength));
    }
    let bp = crate::ui::parse_percent(rate)
        .filter(|bp| (0..=10_000).contains(bp))
        .ok_or_else(|| bad("rate", Problem::TaxRateInvalid))?;
    sqlx::query(
        "INSERT INTO tax_rates (id, country, region, name, rate_bp) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (country, region) DO UPDATE SET name = excluded.name, rate_bp = excluded.rate_bp",
    )
    .bind(new_id().to_string())
    .bind(&country)
    .bind(&region)
    .bind(name)
    .bind(bp)
    .execute(conn)
    .await
    .map_err(crate::platform::errors::internal("settings: tax"))?;
    Ok(())
}

/// Adds a shipping zone for a list of countries ("DE, AT") or everywhere else ("*").
pub async fn add_zone(
    conn: &mut AnyConnection,
    name: &str,
    countries: &str,
) -> Result<(), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(bad("name", Problem::ZoneNameLength));
    }
    let countries = if countries.trim() == "*" {
        "*".to_owned()
    } else {
        let list = countries
            .split([',', ' '])
            .filter(|c| !c.trim().is_empty())
            .map(|c| country("countries", c))
            .collect::<Result<Vec<_>, _>>()?;
        if list.is_empty() || list.len() > 250 {
            return Err(bad("countries", Problem::ZoneCountriesInvalid));
        }
        list.join(",")
    };
    sqlx::query(
        "INSERT INTO shipping_zones (id, name, countries, position, created_at)
         VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM shipping_zones), $4)",
    )
    .bind(new_id().to_string())
    .bind(name)
    .bind(countries)
    .bind(now().millis())
    .execute(conn)
    .await
    .map_err(crate::platform::errors::internal("settings: zone"))?;
    Ok(())
}

/// A shipping rate as the form sends it.
#[derive(Clone, Debug, Default)]
pub struct RateForm {
    pub zone_id: String,
    pub name: String,
    pub kind: String,
    pub price: String,
    pub per_kg: String,
    pub min_weight_g: String,
    pub max_weight_g: String,
    pub free_over: String,
    pub delivery_days: String,
}

/// Adds a rate to a zone.
pub async fn add_rate(
    conn: &mut AnyConnection,
    form: &RateForm,
    currency: Currency,
) -> Result<(), AppError> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(bad("name", Problem::ShippingRateNameLength));
    }
    let kind = match form.kind.trim() {
        "flat" | "weight" => form.kind.trim(),
        _ => return Err(bad("kind", Problem::ShippingRateKindUnknown)),
    };
    let money = |field: &str, text: &str, required: bool| -> Result<Option<i64>, AppError> {
        match text.trim() {
            "" if !required => Ok(None),
            t => Money::parse_decimal(t, currency)
                .ok()
                .filter(|m| (0..=10_000_000).contains(&m.minor))
                .map(|m| Some(m.minor))
                .ok_or_else(|| bad(field, Problem::AmountInvalid)),
        }
    };
    let grams = |field: &str, text: &str| -> Result<Option<i64>, AppError> {
        match text.trim() {
            "" => Ok(None),
            t => t
                .parse::<i64>()
                .ok()
                .filter(|g| (0..=1_000_000).contains(g))
                .map(Some)
                .ok_or_else(|| bad(field, Problem::GramsInvalid)),
        }
    };
    let price = money("price", &form.price, true)?.unwrap_or(0);
    let per_kg = money("per_kg", &form.per_kg, false)?.unwrap_or(0);
    let min = grams("min_weight_g", &form.min_weight_g)?;
    let max = grams("max_weight_g", &form.max_weight_g)?;
    if let (Some(a), Some(b)) = (min, max)
        && a > b
    {
        return Err(bad("max_weight_g", Problem::WeightRangeReversed));
    }
    let free = money("free_over", &form.free_over, false)?;
    if form.delivery_days.trim().chars().count() > 40 {
        return Err(bad(
            "delivery_days",
            Problem::TooLongField {
                what: FieldName::DeliveryTime,
                max: 40,
            },
        ));
    }
    let zone: Option<String> = sqlx::query_scalar("SELECT id FROM shipping_zones WHERE id = $1")
        .bind(form.zone_id.trim())
        .fetch_optional(&mut *conn)
        .await
        .map_err(crate::platform::errors::internal("settings: zone"))?;
    let zone = zone.ok_or_else(|| AppError::not_found(Thing::ShippingZone))?;
    sqlx::query(
        "INSERT INTO shipping_rates (id, zone_id, name, kind, price_minor, per_kg_minor, min_weight_g, max_weight_g, free_over_minor, delivery_days, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, (SELECT COALESCE(MAX(position), 0) + 1 FROM shipping_rates WHERE zone_id = $2))",
    )
    .bind(new_id().to_string())
    .bind(&zone)
    .bind(name)
    .bind(kind)
    .bind(price)
    .bind(per_kg)
    .bind(min)
    .bind(max)
    .bind(free)
    .bind(form.delivery_days.trim())
    .execute(conn)
    .await
    .map_err(crate::platform::errors::internal("settings: rate"))?;
    Ok(())
}

/// A coupon as the form sends it.
#[derive(Clone, Debug, Default)]
pub struct CouponForm {
    pub code: String,
    pub kind: String,
    pub value: String,
    pub min_subtotal: String,
    pub starts: String,
    pub ends: String,
    pub usage_limit: String,
    pub per_customer_limit: String,
}

/// Creates a coupon.
pub async fn add_coupon(
    conn: &mut AnyConnection,
    form: &CouponForm,
    currency: Currency,
) -> Result<(), AppError> {
    let code = form.code.trim().to_ascii_uppercase();
    if !(3..=32).contains(&code.len())
        || !code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(bad("code", Problem::CouponCodeInvalid));
    }
    let (kind, value) = match form.kind.trim() {
        "percent" => (
            "percent",
            form.value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|v| (1..=100).contains(v))
                .ok_or_else(|| bad("value", Problem::CouponPercentInvalid))?,
        ),
        "fixed" => (
            "fixed",
            Money::parse_decimal(form.value.trim(), currency)
                .ok()
                .filter(|m| m.minor > 0 && m.minor <= 10_000_000)
                .ok_or_else(|| bad("value", Problem::CouponAmountInvalid))?
                .minor,
        ),
        "free_shipping" => ("free_shipping", 0),
        _ => {
            return Err(bad("kind", Problem::CouponKindUnknown));
        }
    };
    let min = match form.min_subtotal.trim() {
        "" => 0,
        t => {
            Money::parse_decimal(t, currency)
                .ok()
                .filter(|m| m.minor >= 0)
                .ok_or_else(|| bad("min_subtotal", Problem::CouponMinimumInvalid))?
                .minor
        }
    };
    let date = |field: &str, text: &str, end: bool| -> Result<Option<i64>, AppError> {
        match text.trim() {
            "" => Ok(None),
            t => Timestamp::parse_date(t)
                .map(|d| {
                    Some(if end {
                        d.millis() + Timestamp::DAY
                    } else {
                        d.millis()
                    })
                })
                .ok_or_else(|| bad(field, Problem::DateInvalid)),
        }
    };
    let starts = date("starts", &form.starts, false)?;
    let ends = date("ends", &form.ends, true)?;
    if let (Some(s), Some(e)) = (starts, ends)
        && e <= s
    {
        return Err(bad("ends", Problem::CouponEndsBeforeStart));
    }
    let limit = |field: &str, text: &str| -> Result<Option<i64>, AppError> {
        match text.trim() {
            "" => Ok(None),
            t => t
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=10_000_000).contains(n))
                .map(Some)
                .ok_or_else(|| bad(field, Problem::CouponUsesInvalid)),
        }
    };
    let usage_limit = limit("usage_limit", &form.usage_limit)?;
    let per_customer = limit("per_customer_limit", &form.per_customer_limit)?;
    let coupon = crate::coupons::rules::NewCoupon {
        code: &code,
        kind,
        value,
        min_subtotal_minor: min,
        starts_at: starts,
        ends_at: ends,
        usage_limit,
        per_customer_limit: per_customer,
    };
    let inserted = crate::coupons::rules::insert(conn, &coupon, false).await;
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if crate::platform::db::is_unique_violation(&e) => {
            Err(bad("code", Problem::CouponCodeTaken))
        }
        Err(e) => Err(crate::platform::errors::internal("settings: coupon")(e)),
    }
}

/// Removes a tax rate, zone (with its rates), rate, or ends a coupon (now; its history stays).
pub async fn remove(conn: &mut AnyConnection, kind: &str, id: &str) -> Result<(), AppError> {
    let internal = crate::platform::errors::internal("settings: remove");
    let sql = match kind {
        "tax" => "DELETE FROM tax_rates WHERE id = $1",
        "zone" => "DELETE FROM shipping_zones WHERE id = $1",
        "rate" => "DELETE FROM shipping_rates WHERE id = $1",
        "coupon" => {
            // Coupons belong to their domain; ending one keeps its uses on record.
            return match crate::coupons::rules::end(conn, id.trim(), now().millis()).await {
                Ok(true) => Ok(()),
                Ok(false) => Err(AppError::not_found(Thing::Setting)),
                Err(e) => Err(internal(e)),
            };
        }
        _ => return Err(bad("kind", Problem::RemovalKindUnknown)),
    };
    let done = sqlx::query(sql)
        .bind(id.trim())
        .execute(conn)
        .await
        .map_err(internal)?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found(Thing::Setting));
    }
    Ok(())
}

/// Makes the shop's store row on first start (name and currency from the configuration); an
/// existing row is left as the merchant set it.
pub async fn ensure_default_store(
    conn: &mut AnyConnection,
    name: &str,
    currency: &str,
) -> Result<(), sqlx::Error> {
    let at = now().millis();
    sqlx::query(
        "INSERT INTO stores (id, code, name, default_currency, support_email, created_at, updated_at)
         VALUES ($1, $2, $3, $4, NULL, $5, $5)
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(new_id().to_string())
    .bind(DEFAULT_STORE_CODE)
    .bind(name)
    .bind(currency)
    .bind(at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Sets the support address if the merchant has not set one.
pub async fn default_support_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE stores SET support_email = $1 WHERE code = $2 AND support_email IS NULL")
        .bind(email)
        .bind(DEFAULT_STORE_CODE)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Shows the picture stored under `key` as the shop's logo.
pub async fn set_logo(conn: &mut AnyConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE stores SET logo_key = $1, updated_at = $2 WHERE code = $3")
        .bind(key)
        .bind(now().millis())
        .bind(DEFAULT_STORE_CODE)
        .execute(conn)
        .await
        .map(|_| ())
}
