//! The shipping zones, rates and tax rates a new shop starts with, so checkout works from the
//! first start; the admin changes them later. Written once (recorded in `app_meta`).

use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;

/// European VAT standard rates (basis points) and a few regional US sales taxes.
const TAX_RATES: &[(&str, &str, &str, i64)] = &[
    ("AT", "", "VAT", 2000),
    ("BE", "", "VAT", 2100),
    ("CZ", "", "VAT", 2100),
    ("DE", "", "VAT", 1900),
    ("DK", "", "VAT", 2500),
    ("ES", "", "VAT", 2100),
    ("FI", "", "VAT", 2550),
    ("FR", "", "VAT", 2000),
    ("IE", "", "VAT", 2300),
    ("IT", "", "VAT", 2200),
    ("LU", "", "VAT", 1700),
    ("NL", "", "VAT", 2100),
    ("PL", "", "VAT", 2300),
    ("PT", "", "VAT", 2300),
    ("SE", "", "VAT", 2500),
    ("GB", "", "VAT", 2000),
    ("CH", "", "VAT", 810),
    ("NO", "", "VAT", 2500),
    ("US", "CA", "Sales tax", 725),
    ("US", "NY", "Sales tax", 400),
    ("US", "TX", "Sales tax", 625),
    ("CA", "", "GST", 500),
    ("CA", "ON", "HST", 1300),
    ("AU", "", "GST", 1000),
];

/// (zone, countries, [(rate name, kind, price, per kg, free over, days)])
type Rate = (
    &'static str,
    &'static str,
    i64,
    i64,
    Option<i64>,
    &'static str,
);
const ZONES: &[(&str, &str, &[Rate])] = &[
    (
        "Domestic",
        "DE",
        &[
            ("Standard", "flat", 495, 0, Some(5000), "2–3 working days"),
            ("Express", "flat", 1295, 0, None, "next working day"),
        ],
    ),
    (
        "Europe",
        "AT,BE,CH,CZ,DK,ES,FI,FR,GB,IE,IT,LU,NL,NO,PL,PT,SE",
        &[
            (
                "Standard",
                "weight",
                895,
                150,
                Some(10000),
                "3–6 working days",
            ),
            ("Express", "weight", 1995, 300, None, "1–2 working days"),
        ],
    ),
    (
        "Rest of the world",
        "*",
        &[(
            "International",
            "weight",
            1995,
            500,
            None,
            "6–12 working days",
        )],
    ),
];

/// Writes the defaults once.
pub async fn ensure(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let claimed =
        crate::platform::meta::claim(&mut tx, "checkout_defaults", &now().to_rfc3339()).await?;
    if !claimed {
        return Ok(());
    }
    let at = now().millis();
    for (country, region, name, bp) in TAX_RATES {
        sqlx::query(
            "INSERT INTO tax_rates (id, country, region, name, rate_bp) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (country, region) DO NOTHING",
        )
        .bind(new_id().to_string())
        .bind(country)
        .bind(region)
        .bind(name)
        .bind(bp)
        .execute(&mut *tx)
        .await?;
    }
    for (position, (zone, countries, rates)) in ZONES.iter().enumerate() {
        let zone_id = new_id().to_string();
        sqlx::query(
            "INSERT INTO shipping_zones (id, name, countries, position, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&zone_id)
        .bind(zone)
        .bind(countries)
        .bind(position as i64)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        for (i, (name, kind, price, per_kg, free_over, days)) in rates.iter().enumerate() {
            sqlx::query(
                "INSERT INTO shipping_rates (id, zone_id, name, kind, price_minor, per_kg_minor, free_over_minor,
                                             delivery_days, position)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(new_id().to_string())
            .bind(&zone_id)
            .bind(name)
            .bind(kind)
            .bind(price)
            .bind(per_kg)
            .bind(free_over)
            .bind(days)
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

/// Demo coupons (only with the demo data).
pub async fn demo_coupons(db: &Db) -> Result<(), sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    for (code, kind, value, min, per_customer) in [
        ("WELCOME10", "percent", 10, 2000, Some(1)),
        ("SAVE5", "fixed", 500, 3000, None),
        ("FREESHIP", "free_shipping", 0, 0, None),
    ] {
        let coupon = crate::coupons::rules::NewCoupon {
            code,
            kind,
            value,
            min_subtotal_minor: min,
            starts_at: None,
            ends_at: None,
            usage_limit: None,
            per_customer_limit: per_customer,
        };
        crate::coupons::rules::insert(&mut conn, &coupon, true).await?;
    }
    Ok(())
}
