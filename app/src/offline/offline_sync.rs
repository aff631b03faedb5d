//! Replaying changes a shopper made offline (`OfflineChange`), exactly once each.
//!
//! The device sends a change again until it hears an answer, so the same id may arrive many
//! times. Each change is applied in one write transaction together with a row in
//! `offline_changes` keyed by its owner and id; a repeat finds the row and gets the first
//! outcome back without touching the cart again. Conflicts (sold out, price changed) are
//! outcomes too, reported to the device, which shows them to the shopper.

use crate::cart::cart_service::{self, CartError};
use crate::catalog::queries::ON_SALE;
use crate::platform::clock::now;
use crate::platform::db::Db;
use shop_types::offline::{ChangeOutcome, ChangeReport, OfflineAction, OfflineChange};
use shop_types::{Money, Problem, PublicId, Quantity};
use sqlx::AnyConnection;

/// Most changes one request may carry.
pub const MAX_BATCH: usize = 100;

/// Applies a cart change (at most once per `cart_id` and change id).
pub async fn apply_cart_add(
    db: &Db,
    cart_id: &str,
    change: &OfflineChange,
    variant_id: &str,
    quantity: u32,
    seen_price: Option<Money>,
) -> Result<ChangeReport, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if let Some(report) = earlier(&mut tx, cart_id, &change.id).await? {
        return Ok(report);
    }
    let variant = PublicId::parse(variant_id.trim())
        .ok()
        .map(|v| v.to_string());
    let found = match &variant {
        Some(id) => describe_variant(&mut tx, id).await?,
        None => None,
    };
    let report = match (variant, found) {
        (Some(id), Some((subject, price))) => {
            let outcome = match Quantity::new(i64::from(quantity)) {
                Err(e) => ChangeOutcome::Refused { problem: e.into() },
                Ok(quantity) => match cart_service::add(&mut tx, cart_id, &id, quantity).await {
                    Ok(()) => match seen_price {
                        Some(seen)
                            if seen.currency == price.currency && seen.minor != price.minor =>
                        {
                            ChangeOutcome::PriceChanged {
                                was: seen,
                                now: price,
                            }
                        }
                        _ => ChangeOutcome::Applied,
                    },
                    Err(CartError::Db(e)) => return Err(e),
                    Err(refused) => ChangeOutcome::Refused {
                        problem: Problem::from(&refused),
                    },
                },
            };
            ChangeReport {
                id: change.id.clone(),
                subject,
                outcome,
            }
        }
        _ => ChangeReport {
            id: change.id.clone(),
            subject: "An item".into(),
            outcome: ChangeOutcome::Refused {
                problem: Problem::NoLongerSold,
            },
        },
    };
    record(&mut tx, cart_id, &report).await?;
    tx.commit().await?;
    Ok(report)
}

/// Applies a signed-in shopper's favourite change (at most once per account and change id).
pub async fn apply_favourite(
    db: &Db,
    user_id: &str,
    change: &OfflineChange,
    product_id: &str,
    save: bool,
) -> Result<ChangeReport, sqlx::Error> {
    let owner = format!("user:{user_id}");
    let mut tx = db.begin_write().await?;
    if let Some(report) = earlier(&mut tx, &owner, &change.id).await? {
        return Ok(report);
    }
    let product = PublicId::parse(product_id.trim())
        .ok()
        .map(|p| p.to_string());
    let title: Option<String> = match &product {
        Some(id) => {
            sqlx::query_scalar("SELECT title FROM products WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    let outcome = match (&product, &title) {
        (Some(id), Some(_)) if save => {
            if crate::catalog::favourites::store::add(&mut tx, user_id, id).await? {
                ChangeOutcome::Applied
            } else {
                ChangeOutcome::Refused {
                    problem: Problem::NoLongerSold,
                }
            }
        }
        (Some(id), Some(_)) => {
            crate::catalog::favourites::store::remove(&mut tx, user_id, id).await?;
            ChangeOutcome::Applied
        }
        _ => ChangeOutcome::Refused {
            problem: Problem::NoLongerSold,
        },
    };
    let report = ChangeReport {
        id: change.id.clone(),
        subject: title.unwrap_or_else(|| "A favourite".into()),
        outcome,
    };
    record(&mut tx, &owner, &report).await?;
    tx.commit().await?;
    Ok(report)
}

/// The product and variant title and the current unit price of an active variant.
async fn describe_variant(
    conn: &mut AnyConnection,
    variant_id: &str,
) -> Result<Option<(String, Money)>, sqlx::Error> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        &format!("SELECT p.title, v.title, v.price_minor FROM variants v JOIN products p ON p.id = v.product_id
         WHERE v.id = $1 AND {ON_SALE}"),
    )
    .bind(variant_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((product, variant, minor)) = row else {
        return Ok(None);
    };
    let currency = crate::store::queries::store_currency(conn).await?;
    let subject = if variant.is_empty() || variant.eq_ignore_ascii_case("default") {
        product
    } else {
        format!("{product} ({variant})")
    };
    Ok(Some((subject, Money::new(minor, currency))))
}

async fn earlier(
    conn: &mut AnyConnection,
    owner: &str,
    change_id: &str,
) -> Result<Option<ChangeReport>, sqlx::Error> {
    let stored: Option<String> = sqlx::query_scalar(
        "SELECT outcome FROM offline_changes WHERE owner = $1 AND change_id = $2",
    )
    .bind(owner)
    .bind(change_id)
    .fetch_optional(conn)
    .await?;
    Ok(stored.and_then(|json| serde_json::from_str(&json).ok()))
}

async fn record(
    conn: &mut AnyConnection,
    owner: &str,
    report: &ChangeReport,
) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(report).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO offline_changes (owner, change_id, outcome, applied_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(owner)
    .bind(&report.id)
    .bind(json)
    .bind(now().millis())
    .execute(conn)
    .await
    .map(|_| ())
}

/// Whether an action is a cart change (needs a cart) or a favourite.
pub fn needs_cart(change: &OfflineChange) -> bool {
    matches!(change.action, OfflineAction::CartAdd { .. })
}

/// Deletes the record of changes applied before `before` (the hourly clean-up); how many went.
pub async fn prune(db: &crate::platform::db::Db, before: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM offline_changes WHERE applied_at < $1")
            .bind(before)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}
