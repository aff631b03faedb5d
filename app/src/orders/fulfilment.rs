//! Fulfilling an order in parcels: staff pick how many units of each line go in a shipment
//! and the stock location they leave from. The lines' fulfilled counts rise, the location's
//! warehouse count (`stock_levels.on_hand`) falls (sellable stock was already taken when the
//! order was placed), and the order becomes partly fulfilled or fulfilled, with the shipment in
//! its history and a mail to the customer, all in one transaction.

use super::lifecycle::{OrderError, announce_status, move_status};
use super::order_facts::core;
use super::order_store;
use super::status_rules::{self, Actor};
use crate::platform::clock::now;
use crate::platform::db::Db;
use shop_types::{HistoryNote, OrderStatus, Problem, StatusDetail};
use sqlx::Row;

/// One line of a parcel: the order line's position and the units it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParcelLine {
    pub position: i64,
    pub quantity: i64,
}

/// What staff ask to send.
#[derive(Clone, Debug, Default)]
pub struct Parcel {
    pub lines: Vec<ParcelLine>,
    /// The stock location it leaves from; the location holding most of each variant when empty.
    pub location_id: Option<String>,
    pub carrier: String,
    pub tracking_number: String,
    pub note: String,
}

/// Records a shipment of `parcel` for the order. Returns the status the order moved to.
pub async fn fulfil(
    db: &Db,
    order_id: &str,
    actor: &Actor,
    parcel: &Parcel,
) -> Result<OrderStatus, OrderError> {
    let lines: Vec<ParcelLine> = parcel
        .lines
        .iter()
        .copied()
        .filter(|l| l.quantity != 0)
        .collect();
    if lines.is_empty() {
        return Err(OrderError::BadAmount(Problem::UnitsToSendMissing));
    }
    if lines.iter().any(|l| l.quantity < 0) {
        return Err(OrderError::BadAmount(Problem::UnitsToSendNegative));
    }
    let (carrier, tracking) =
        super::lifecycle::Shipment::check(&parcel.carrier, &parcel.tracking_number, false)?;
    let mut tx = db.begin_write().await?;
    let order = core(&mut tx, order_id).await?.ok_or(OrderError::NotFound)?;
    if order.held {
        return Err(OrderError::OnHold);
    }
    let rows = sqlx::query(
        "SELECT position, variant_id, sku, quantity, fulfilled_quantity FROM order_lines WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut remaining_after = 0i64;
    let mut taken = Vec::new();
    for r in &rows {
        let position: i64 = r.try_get("position")?;
        let quantity: i64 = r.try_get("quantity")?;
        let fulfilled: i64 = r.try_get("fulfilled_quantity")?;
        let sku: String = r.try_get("sku")?;
        let variant: Option<String> = r.try_get("variant_id")?;
        let asked: i64 = lines
            .iter()
            .filter(|l| l.position == position)
            .map(|l| l.quantity)
            .sum();
        if asked > quantity - fulfilled {
            return Err(OrderError::BadAmount(Problem::OnlyLeftToSend {
                sku: sku.clone(),
                left: quantity - fulfilled,
            }));
        }
        remaining_after += quantity - fulfilled - asked;
        if asked > 0 {
            taken.push((position, asked, variant, sku));
        }
    }
    if lines
        .iter()
        .any(|l| !taken.iter().any(|t| t.0 == l.position))
    {
        return Err(OrderError::BadAmount(Problem::LineNotInOrder));
    }
    let to = if remaining_after == 0 {
        OrderStatus::Fulfilled
    } else {
        OrderStatus::PartlyFulfilled
    };
    let from = order.status;
    if !status_rules::allowed(from, to, order.method) || !status_rules::may(actor, from, to) {
        return Err(OrderError::NotAllowed {
            from: Some(from),
            to,
        });
    }
    let at = now().millis();
    let shipment_id = order_store::insert_shipment(
        &mut tx,
        order_id,
        parcel.location_id.as_deref().filter(|l| !l.is_empty()),
        carrier,
        tracking,
        &actor.as_stored(),
        at,
    )
    .await?;
    let mut summary = Vec::new();
    for (position, quantity, variant, sku) in &taken {
        if !order_store::ship_line(&mut tx, &shipment_id, order_id, *position, *quantity).await? {
            return Err(OrderError::Changed);
        }
        if let Some(variant) = variant {
            take_from_location(
                &mut tx,
                variant,
                parcel.location_id.as_deref(),
                *quantity,
                order_id,
                actor,
            )
            .await?;
        }
        summary.push((*quantity, sku.clone()));
    }
    move_status(&mut tx, order_id, from, to, at).await?;
    let detail = StatusDetail::ParcelSent {
        items: summary,
        carrier: carrier.to_owned(),
        tracking: tracking.to_owned(),
    };
    // The history shows what the customer was told, then the packer's own note.
    let told = HistoryNote::Told {
        detail: detail.clone(),
    };
    order_store::record_event(
        &mut tx,
        order_id,
        Some(from),
        to,
        actor,
        Some(&told),
        parcel.note.trim(),
    )
    .await?;
    announce_status(&mut tx, order_id, to, detail).await?;
    tx.commit().await?;
    Ok(to)
}

/// Lowers the warehouse count of `variant` at `location` (or where it has most). A variant
/// whose stock is not kept per location is left alone; a location short of units refuses.
pub(super) async fn take_from_location(
    tx: &mut sqlx::AnyConnection,
    variant: &str,
    location: Option<&str>,
    quantity: i64,
    order_id: &str,
    actor: &Actor,
) -> Result<(), OrderError> {
    let chosen: Option<(String, i64)> = match location.filter(|l| !l.is_empty()) {
        Some(location) => sqlx::query(
            "SELECT location_id, on_hand FROM stock_levels WHERE variant_id = $1 AND location_id = $2",
        )
        .bind(variant)
        .bind(location)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| Ok::<_, sqlx::Error>((r.try_get("location_id")?, r.try_get("on_hand")?)))
        .transpose()?,
        None => sqlx::query(
            "SELECT location_id, on_hand FROM stock_levels WHERE variant_id = $1
             ORDER BY on_hand DESC, location_id LIMIT 1",
        )
        .bind(variant)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| Ok::<_, sqlx::Error>((r.try_get("location_id")?, r.try_get("on_hand")?)))
        .transpose()?,
    };
    let Some((location, on_hand)) = chosen else {
        let tracked: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM stock_levels WHERE variant_id = $1")
                .bind(variant)
                .fetch_one(&mut *tx)
                .await?;
        return if tracked == 0 {
            Ok(())
        } else {
            Err(OrderError::BadAmount(Problem::LocationDoesNotStock))
        };
    };
    match crate::catalog::stock_ledger::ship(
        tx,
        order_id,
        variant,
        &location,
        quantity,
        &actor.as_stored(),
    )
    .await?
    {
        Ok(()) => Ok(()),
        Err(_) => Err(OrderError::BadAmount(Problem::OnlyOnHandAtLocation {
            on_hand,
        })),
    }
}

/// Sends every unit not yet sent, each from the location holding most of it (the status
/// change "Fulfilled" without a parcel form).
pub(super) async fn take_all_remaining(
    tx: &mut sqlx::AnyConnection,
    order_id: &str,
    actor: &Actor,
) -> Result<(), OrderError> {
    let rows = sqlx::query(
        "SELECT variant_id, quantity - fulfilled_quantity AS remaining FROM order_lines
         WHERE order_id = $1 AND fulfilled_quantity < quantity",
    )
    .bind(order_id)
    .fetch_all(&mut *tx)
    .await?;
    for r in rows {
        let variant: Option<String> = r.try_get("variant_id")?;
        let remaining: i64 = r.try_get("remaining")?;
        if let Some(variant) = variant {
            take_from_location(&mut *tx, &variant, None, remaining, order_id, actor).await?;
        }
    }
    order_store::ship_all_lines(tx, order_id).await?;
    Ok(())
}
