//! Stock changes made by people: every adjustment names a variant, a stock location, a
//! reason and who made it, and moves the location's warehouse count and the sellable total
//! (`variants.stock`) by the same amount in one transaction, with a `stock_movements` row.
//! Neither count may go below zero (checked by conditional updates, not by reading first).

use crate::platform::clock::now;
use crate::platform::ids::new_id;
use sqlx::{AnyConnection, Row};

/// A refused adjustment; messages fit to show.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("That item or location does not exist.")]
    NotFound,
    #[error("Only {0} on hand there; the count cannot go below zero.")]
    BelowZero(i64),
    #[error("Only {0} can still be sold; the rest is promised to orders.")]
    Promised(i64),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// What an adjustment left behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Adjusted {
    pub on_hand: i64,
    pub sellable: i64,
    /// The variant went from sold out to available or back (listings must be refreshed).
    pub crossed_zero: bool,
}

/// Moves `delta` units of `variant` at `location`, inside the caller's write transaction.
pub async fn adjust(
    tx: &mut AnyConnection,
    variant: &str,
    location: &str,
    delta: i64,
    reason: &str,
    note: &str,
    actor: &str,
) -> Result<Adjusted, InventoryError> {
    let before: Option<i64> = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
        .bind(variant)
        .fetch_optional(&mut *tx)
        .await?;
    let before = before.ok_or(InventoryError::NotFound)?;
    let known: Option<String> = sqlx::query_scalar("SELECT id FROM stock_locations WHERE id = $1")
        .bind(location)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(InventoryError::NotFound);
    }
    // The level row may not exist yet (a location the variant was never kept at).
    sqlx::query(
        "INSERT INTO stock_levels (variant_id, location_id, on_hand) VALUES ($1, $2, 0)
         ON CONFLICT (variant_id, location_id) DO NOTHING",
    )
    .bind(variant)
    .bind(location)
    .execute(&mut *tx)
    .await?;
    let level = sqlx::query(
        "UPDATE stock_levels SET on_hand = on_hand + $1
         WHERE variant_id = $2 AND location_id = $3 AND on_hand + $1 >= 0 RETURNING on_hand",
    )
    .bind(delta)
    .bind(variant)
    .bind(location)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(level) = level else {
        let on_hand: i64 = sqlx::query_scalar(
            "SELECT on_hand FROM stock_levels WHERE variant_id = $1 AND location_id = $2",
        )
        .bind(variant)
        .bind(location)
        .fetch_one(&mut *tx)
        .await?;
        return Err(InventoryError::BelowZero(on_hand));
    };
    let on_hand: i64 = level.try_get("on_hand")?;
    let sellable = sqlx::query(
        "UPDATE variants SET stock = stock + $1 WHERE id = $2 AND stock + $1 >= 0 RETURNING stock",
    )
    .bind(delta)
    .bind(variant)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(sellable) = sellable else {
        return Err(InventoryError::Promised(before));
    };
    let sellable: i64 = sellable.try_get("stock")?;
    let at = now().millis();
    sqlx::query(
        "INSERT INTO stock_movements (id, variant_id, delta, reason, order_id, actor, created_at, location_id, note)
         VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8)",
    )
    .bind(new_id().to_string())
    .bind(variant)
    .bind(delta)
    .bind(reason)
    .bind(actor)
    .bind(at)
    .bind(location)
    .bind(note)
    .execute(&mut *tx)
    .await?;
    let crossed_zero = (before == 0) != (sellable == 0);
    if crossed_zero {
        sqlx::query("UPDATE products SET updated_at = $1 WHERE id = (SELECT product_id FROM variants WHERE id = $2)")
            .bind(at)
            .bind(variant)
            .execute(&mut *tx)
            .await?;
    }
    if before == 0 && sellable > 0 {
        crate::push::alerts::back_in_stock(tx, variant).await?;
    }
    Ok(Adjusted {
        on_hand,
        sellable,
        crossed_zero,
    })
}

/// Sets the count at `location` to `count` (a stock take), as an adjustment by the
/// difference.
pub async fn set_count(
    tx: &mut AnyConnection,
    variant: &str,
    location: &str,
    count: i64,
    reason: &str,
    note: &str,
    actor: &str,
) -> Result<Adjusted, InventoryError> {
    let on_hand: i64 = sqlx::query_scalar(
        "SELECT on_hand FROM stock_levels WHERE variant_id = $1 AND location_id = $2",
    )
    .bind(variant)
    .bind(location)
    .fetch_optional(&mut *tx)
    .await?
    .unwrap_or(0);
    adjust(tx, variant, location, count - on_hand, reason, note, actor).await
}
