//! The stock ledger: the only writer of sellable stock (`variants.stock`), the count per
//! stock location (`stock_levels`) and the history of every change (`stock_movements`).
//!
//! Every change is a conditional statement inside the caller's write transaction (two buyers
//! can never take the last unit twice, no count goes below zero) and leaves a movement row
//! naming why and who. A change that makes a variant sold out, or available again, marks its
//! product changed for listings (`product_store::touch_variant`); "available again" also records
//! a `BackInStock` event (shoppers who keep it among their favourites are told). Callers get
//! told what crossed zero so they can wake the search index after commit.
//!
//! Who calls what: checkout takes stock when an order is placed (`take_for_order`), orders give
//! it back when one is cancelled (`give_back_order`) and send it out of a location with a parcel
//! (`ship`); the console adjusts and counts (`adjust`, `set_count`); the product editor
//! receives the first units of a new variant (`receive`).

use super::product_store;
use crate::catalog::queries::ON_SALE;
use crate::platform::clock::now;
use crate::platform::ids::new_id;
use shop_types::Problem;
use sqlx::{AnyConnection, Row};

/// A refused adjustment.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("{}", Problem::from(self))]
    NotFound,
    #[error("{}", Problem::from(self))]
    BelowZero(i64),
    #[error("{}", Problem::from(self))]
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

/// One line of an order, as the ledger takes it.
#[derive(Clone, Debug)]
pub struct OrderLine<'a> {
    pub variant_id: &'a str,
    pub quantity: i64,
}

/// Why stock could not be taken for an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Short {
    /// The index of the first line that could not be served.
    pub line: usize,
    /// Units of it still sellable (0 when the product is no longer sold).
    pub available: i64,
}

/// Takes the sellable units of every line for `order_id` (status `active` products only).
/// `Ok(Err(short))` when a line cannot be served: the caller must roll back. `Ok(Ok(true))`
/// when something sold out.
pub async fn take_for_order(
    tx: &mut AnyConnection,
    order_id: &str,
    lines: &[OrderLine<'_>],
) -> Result<Result<bool, Short>, sqlx::Error> {
    let at = now().millis();
    let mut sold_out_something = false;
    for (index, line) in lines.iter().enumerate() {
        let left: Option<(i64, String)> = sqlx::query_as(&format!(
            "UPDATE variants SET stock = stock - $1
             WHERE id = $2 AND stock >= $1
               AND product_id IN (SELECT p.id FROM products p WHERE {ON_SALE})
             RETURNING stock, product_id"
        ))
        .bind(line.quantity)
        .bind(line.variant_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((left, product_id)) = left else {
            let available: Option<i64> =
                sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
                    .bind(line.variant_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Ok(Err(Short {
                line: index,
                available: available.unwrap_or(0),
            }));
        };
        // Selling the last unit changes what listings show ("in stock" filters, sold out).
        if left == 0 {
            product_store::touch(tx, &product_id, at).await?;
            sold_out_something = true;
        }
    }
    if lines.is_empty() {
        return Ok(Ok(false));
    }
    // One statement for all lines: every statement is a round trip to SQLite's thread.
    let n = lines.len();
    let mut sql = String::from(
        "INSERT INTO stock_movements (id, variant_id, delta, reason, order_id, actor, created_at) VALUES ",
    );
    for i in 0..n {
        let b = i * 3;
        sql.push_str(&format!(
            "{}(${}, ${}, ${}, 'order', ${}, 'customer', ${})",
            if i > 0 { ", " } else { "" },
            b + 1,
            b + 2,
            b + 3,
            3 * n + 1,
            3 * n + 2
        ));
    }
    let mut movements = sqlx::query(&sql);
    for line in lines {
        movements = movements
            .bind(new_id().to_string())
            .bind(line.variant_id)
            .bind(-line.quantity);
    }
    movements.bind(order_id).bind(at).execute(&mut *tx).await?;
    Ok(Ok(sold_out_something))
}

/// Gives the units of a released (cancelled, expired) order back to sellable stock. True when
/// something that was sold out can be ordered again.
pub async fn give_back_order(
    tx: &mut AnyConnection,
    order_id: &str,
    lines: &[OrderLine<'_>],
) -> Result<bool, sqlx::Error> {
    let at = now().millis();
    let mut back_in_stock = false;
    for line in lines {
        let was: Option<i64> = sqlx::query_scalar(
            "UPDATE variants SET stock = stock + $1 WHERE id = $2 RETURNING stock - $1",
        )
        .bind(line.quantity)
        .bind(line.variant_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(was) = was else {
            // The variant was deleted since: nothing to give back to.
            continue;
        };
        sqlx::query(
            "INSERT INTO stock_movements (id, variant_id, delta, reason, order_id, actor, created_at)
             VALUES ($1, $2, $3, 'order released', $4, 'system', $5)",
        )
        .bind(new_id().to_string())
        .bind(line.variant_id)
        .bind(line.quantity)
        .bind(order_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if was == 0 && line.quantity > 0 {
            back_in_stock = true;
            back_in(tx, line.variant_id).await?;
            product_store::touch_variant(tx, line.variant_id, at).await?;
        }
    }
    Ok(back_in_stock)
}

/// Sends `quantity` units of `variant` out of `location` with a parcel of `order_id`: the
/// location's count falls (sellable stock was taken when the order was placed). `Err(on_hand)`
/// when the location holds fewer.
pub async fn ship(
    tx: &mut AnyConnection,
    order_id: &str,
    variant: &str,
    location: &str,
    quantity: i64,
    actor: &str,
) -> Result<Result<(), i64>, sqlx::Error> {
    let taken = sqlx::query(
        "UPDATE stock_levels SET on_hand = on_hand - $1
         WHERE variant_id = $2 AND location_id = $3 AND on_hand >= $1",
    )
    .bind(quantity)
    .bind(variant)
    .bind(location)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() != 1 {
        let on_hand: Option<i64> = sqlx::query_scalar(
            "SELECT on_hand FROM stock_levels WHERE variant_id = $1 AND location_id = $2",
        )
        .bind(variant)
        .bind(location)
        .fetch_optional(&mut *tx)
        .await?;
        return Ok(Err(on_hand.unwrap_or(0)));
    }
    sqlx::query(
        "INSERT INTO stock_movements (id, variant_id, delta, reason, order_id, actor, created_at, location_id, note)
         VALUES ($1, $2, $3, 'shipped', $4, $5, $6, $7, 'Left the warehouse; sellable stock was taken at order time.')",
    )
    .bind(new_id().to_string())
    .bind(variant)
    .bind(-quantity)
    .bind(order_id)
    .bind(actor)
    .bind(now().millis())
    .bind(location)
    .execute(&mut *tx)
    .await?;
    Ok(Ok(()))
}

/// The first units of a variant just created (the editor's "initial stock", an import, the
/// demo catalog): the location's count and the sellable total rise by `quantity`, recorded as
/// received. A level row is made even for zero units, so the variant is tracked there.
pub async fn receive(
    tx: &mut AnyConnection,
    variant: &str,
    location: &str,
    quantity: i64,
    actor: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO stock_levels (variant_id, location_id, on_hand) VALUES ($1, $2, $3)
         ON CONFLICT (variant_id, location_id) DO UPDATE SET on_hand = stock_levels.on_hand + $3",
    )
    .bind(variant)
    .bind(location)
    .bind(quantity)
    .execute(&mut *tx)
    .await?;
    if quantity == 0 {
        return Ok(());
    }
    sqlx::query("UPDATE variants SET stock = stock + $1 WHERE id = $2")
        .bind(quantity)
        .bind(variant)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO stock_movements (id, variant_id, delta, reason, order_id, actor, created_at, location_id, note)
         VALUES ($1, $2, $3, 'received', NULL, $4, $5, $6, 'Initial stock')",
    )
    .bind(new_id().to_string())
    .bind(variant)
    .bind(quantity)
    .bind(actor)
    .bind(now().millis())
    .bind(location)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Moves `delta` units of `variant` at `location` (a person's adjustment with a reason), the
/// location's count and the sellable total by the same amount.
pub async fn adjust(
    tx: &mut AnyConnection,
    variant: &str,
    location: &str,
    delta: i64,
    reason: &str,
    note: &str,
    actor: &str,
) -> Result<Adjusted, LedgerError> {
    let before: Option<i64> = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
        .bind(variant)
        .fetch_optional(&mut *tx)
        .await?;
    let before = before.ok_or(LedgerError::NotFound)?;
    // A seller's stock is kept at its own locations, the operator's at the operator's.
    let known: Option<String> = sqlx::query_scalar(
        "SELECT l.id FROM stock_locations l, variants v JOIN products p ON p.id = v.product_id
         WHERE l.id = $1 AND v.id = $2
           AND COALESCE(l.vendor_id, '') = COALESCE(p.vendor_id, '')",
    )
    .bind(location)
    .bind(variant)
    .fetch_optional(&mut *tx)
    .await?;
    if known.is_none() {
        return Err(LedgerError::NotFound);
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
        return Err(LedgerError::BelowZero(on_hand));
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
        return Err(LedgerError::Promised(before));
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
        product_store::touch_variant(tx, variant, at).await?;
    }
    if before == 0 && sellable > 0 {
        back_in(tx, variant).await?;
    }
    Ok(Adjusted {
        on_hand,
        sellable,
        crossed_zero,
    })
}

/// Records that `variant` can be ordered again.
async fn back_in(tx: &mut AnyConnection, variant: &str) -> Result<(), sqlx::Error> {
    crate::platform::events::record(
        tx,
        &super::events::BackInStock {
            variant_id: variant.to_owned(),
        },
    )
    .await
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
) -> Result<Adjusted, LedgerError> {
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

impl From<&LedgerError> for Problem {
    fn from(error: &LedgerError) -> Self {
        match error {
            LedgerError::NotFound => Problem::StockItemUnknown,
            LedgerError::Db(_) => Problem::Unexpected,
            LedgerError::BelowZero(on_hand) => Problem::StockBelowZero { on_hand: *on_hand },
            LedgerError::Promised(sellable) => Problem::StockPromised {
                sellable: *sellable,
            },
        }
    }
}

impl LedgerError {
    /// What to tell the person who asked for the change.
    pub fn problem(&self) -> Problem {
        Problem::from(self)
    }
}

/// A stock location named `name`, made (first in the list) if the shop has none by that name.
pub async fn location_named(
    tx: &mut AnyConnection,
    name: &str,
    at: i64,
) -> Result<String, sqlx::Error> {
    if let Some(id) =
        sqlx::query_scalar::<_, String>("SELECT id FROM stock_locations WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?
    {
        return Ok(id);
    }
    let id = new_id().to_string();
    sqlx::query(
        "INSERT INTO stock_locations (id, name, position, created_at) VALUES ($1, $2, 0, $3)",
    )
    .bind(&id)
    .bind(name)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// The operator's first stock location, made ("Main warehouse") if the shop has none.
pub async fn default_location(tx: &mut AnyConnection) -> Result<String, sqlx::Error> {
    if let Some(id) = sqlx::query_scalar::<_, String>(
        "SELECT id FROM stock_locations WHERE vendor_id IS NULL ORDER BY position, name LIMIT 1",
    )
    .fetch_optional(&mut *tx)
    .await?
    {
        return Ok(id);
    }
    location_named(tx, "Main warehouse", now().millis()).await
}

/// The longest name a seller may give one of its stock locations.
pub const LOCATION_LABEL_MAX: usize = 60;

/// A seller's stock location: its id and the name the seller gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellerLocation {
    pub id: String,
    pub label: String,
}

/// The stock locations of the seller `vendor_id`, first one first.
pub async fn seller_locations(
    conn: &mut AnyConnection,
    vendor_id: &str,
) -> Result<Vec<SellerLocation>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT id, label, name FROM stock_locations WHERE vendor_id = $1 ORDER BY position, created_at, id",
    )
    .bind(vendor_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, label, name)| SellerLocation {
            id,
            label: label.unwrap_or(name),
        })
        .collect())
}

/// Adds a stock location named `label` for the seller `vendor_id`; None when the seller
/// already has one by that name. Stored as "<label> (<seller's slug>)", as `name` is unique
/// across the shop and the operator's pages show it.
pub async fn add_seller_location(
    tx: &mut AnyConnection,
    vendor_id: &str,
    label: &str,
) -> Result<Option<String>, sqlx::Error> {
    let slug: String = sqlx::query_scalar("SELECT slug FROM vendors WHERE id = $1")
        .bind(vendor_id)
        .fetch_one(&mut *tx)
        .await?;
    let name = format!("{label} ({slug})");
    let position: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM stock_locations WHERE vendor_id = $1",
    )
    .bind(vendor_id)
    .fetch_one(&mut *tx)
    .await?;
    let id = new_id().to_string();
    let added = sqlx::query(
        "INSERT INTO stock_locations (id, name, position, created_at, vendor_id, label)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING",
    )
    .bind(&id)
    .bind(&name)
    .bind(position)
    .bind(now().millis())
    .bind(vendor_id)
    .bind(label)
    .execute(&mut *tx)
    .await?;
    Ok((added.rows_affected() == 1).then_some(id))
}

/// Where a product's new units are received: its seller's first location (made, "Main
/// location", for a seller that has none) or the operator's first one.
pub async fn home_location(
    tx: &mut AnyConnection,
    product_id: &str,
) -> Result<String, sqlx::Error> {
    let seller: Option<String> = sqlx::query_scalar("SELECT vendor_id FROM products WHERE id = $1")
        .bind(product_id)
        .fetch_optional(&mut *tx)
        .await?
        .flatten();
    let Some(seller) = seller else {
        return default_location(tx).await;
    };
    if let Some(first) = seller_locations(&mut *tx, &seller)
        .await?
        .into_iter()
        .next()
    {
        return Ok(first.id);
    }
    match add_seller_location(tx, &seller, "Main location").await? {
        Some(id) => Ok(id),
        // Only a race with another first save can make it exist by now.
        None => Ok(seller_locations(&mut *tx, &seller)
            .await?
            .into_iter()
            .next()
            .map(|l| l.id)
            .unwrap_or_default()),
    }
}

/// Moves every unit of `variant` kept at `from` to `to` (a transfer between locations: the
/// sellable total stays), recorded as two movements by `actor`.
pub async fn transfer_all(
    tx: &mut AnyConnection,
    variant: &str,
    from: &str,
    to: &str,
    actor: &str,
) -> Result<i64, sqlx::Error> {
    let units: i64 = sqlx::query_scalar(
        "SELECT on_hand FROM stock_levels WHERE variant_id = $1 AND location_id = $2",
    )
    .bind(variant)
    .bind(from)
    .fetch_optional(&mut *tx)
    .await?
    .unwrap_or(0);
    if from == to {
        return Ok(0);
    }
    sqlx::query("DELETE FROM stock_levels WHERE variant_id = $1 AND location_id = $2")
        .bind(variant)
        .bind(from)
        .execute(&mut *tx)
        .await?;
    if units == 0 {
        return Ok(0);
    }
    sqlx::query(
        "INSERT INTO stock_levels (variant_id, location_id, on_hand) VALUES ($1, $2, $3)
         ON CONFLICT (variant_id, location_id) DO UPDATE SET on_hand = stock_levels.on_hand + $3",
    )
    .bind(variant)
    .bind(to)
    .bind(units)
    .execute(&mut *tx)
    .await?;
    let at = now().millis();
    for (location, delta) in [(from, -units), (to, units)] {
        sqlx::query(
            "INSERT INTO stock_movements (id, variant_id, delta, reason, order_id, actor, created_at, location_id, note)
             VALUES ($1, $2, $3, 'transfer', NULL, $4, $5, $6, '')",
        )
        .bind(new_id().to_string())
        .bind(variant)
        .bind(delta)
        .bind(actor)
        .bind(at)
        .bind(location)
        .execute(&mut *tx)
        .await?;
    }
    Ok(units)
}

/// Moves every unit of `product_id` kept at a location that is not its seller's (a product
/// just handed to a seller, or back to the operator) to its home location ([`home_location`]),
/// as transfers by `actor`.
pub async fn rehome(
    tx: &mut AnyConnection,
    product_id: &str,
    actor: &str,
) -> Result<(), sqlx::Error> {
    let home = home_location(tx, product_id).await?;
    let strays: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.variant_id, s.location_id FROM stock_levels s
         JOIN variants v ON v.id = s.variant_id JOIN products p ON p.id = v.product_id
         JOIN stock_locations l ON l.id = s.location_id
         WHERE v.product_id = $1
           AND COALESCE(l.vendor_id, '') <> COALESCE(p.vendor_id, '')",
    )
    .bind(product_id)
    .fetch_all(&mut *tx)
    .await?;
    for (variant, from) in strays {
        transfer_all(tx, &variant, &from, &home, actor).await?;
    }
    Ok(())
}
