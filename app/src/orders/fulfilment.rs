//! Fulfilling an order in parcels: staff pick how many units of each line go in a shipment
//! and the stock location they leave from. The lines' fulfilled counts rise, the location's
//! warehouse count (`stock_levels.on_hand`) falls (sellable stock was already taken when the
//! order was placed), and the order becomes partly fulfilled or fulfilled, with the shipment in
//! its history and a mail to the customer, all in one transaction.

use super::lifecycle::{OrderError, OrderMail, core, move_status, queue_status_mail, record_event};
use super::status_rules::{self, Actor};
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use shop_types::OrderStatus;
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
    mail: &OrderMail,
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
        return Err(OrderError::BadAmount(
            "Choose at least one unit to send.".into(),
        ));
    }
    if lines.iter().any(|l| l.quantity < 0) {
        return Err(OrderError::BadAmount(
            "Units to send cannot be negative.".into(),
        ));
    }
    let (carrier, tracking) =
        super::lifecycle::Shipment::check(&parcel.carrier, &parcel.tracking_number, false)?;
    let link_key = super::links::link_key(db, order_id).await?;
    let mut tx = db.begin_write().await?;
    let order = core(&mut tx, order_id).await?.ok_or(OrderError::NotFound)?;
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
            return Err(OrderError::BadAmount(format!(
                "{sku}: only {} left to send.",
                quantity - fulfilled
            )));
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
        return Err(OrderError::BadAmount(
            "That line is not in the order.".into(),
        ));
    }
    let to = if remaining_after == 0 {
        OrderStatus::Fulfilled
    } else {
        OrderStatus::PartlyFulfilled
    };
    let from = order.status;
    if !status_rules::allowed(from, to, order.method) || !status_rules::may(actor, from, to) {
        return Err(OrderError::NotAllowed {
            from: from.label(),
            to: to.label(),
        });
    }
    let at = now().millis();
    let shipment_id = new_id().to_string();
    sqlx::query(
        "INSERT INTO shipments (id, order_id, location_id, carrier, tracking_number, actor, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&shipment_id)
    .bind(order_id)
    .bind(parcel.location_id.as_deref().filter(|l| !l.is_empty()))
    .bind(carrier)
    .bind(tracking)
    .bind(actor.as_stored())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let mut summary = Vec::new();
    for (position, quantity, variant, sku) in &taken {
        sqlx::query(
            "INSERT INTO shipment_lines (shipment_id, position, quantity) VALUES ($1, $2, $3)",
        )
        .bind(&shipment_id)
        .bind(position)
        .bind(quantity)
        .execute(&mut *tx)
        .await?;
        let moved = sqlx::query(
            "UPDATE order_lines SET fulfilled_quantity = fulfilled_quantity + $1
             WHERE order_id = $2 AND position = $3 AND fulfilled_quantity + $1 <= quantity",
        )
        .bind(quantity)
        .bind(order_id)
        .bind(position)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
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
        summary.push(format!("{quantity} × {sku}"));
    }
    move_status(&mut tx, order_id, from, to, at).await?;
    let mut detail = format!("Sent: {}.", summary.join(", "));
    if !carrier.is_empty() || !tracking.is_empty() {
        detail.push_str(&format!(
            " Carrier: {carrier}. Tracking number: {tracking}."
        ));
    }
    let note = if parcel.note.trim().is_empty() {
        detail.clone()
    } else {
        format!("{detail} {}", parcel.note.trim())
    };
    record_event(&mut tx, order_id, Some(from), to, &actor.as_stored(), &note).await?;
    queue_status_mail(&mut tx, mail, &order, to, &detail, &link_key).await?;
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
            Err(OrderError::BadAmount(
                "That location does not stock this item.".into(),
            ))
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
        Err(_) => Err(OrderError::BadAmount(format!(
            "Only {on_hand} on hand at that location."
        ))),
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
    sqlx::query("UPDATE order_lines SET fulfilled_quantity = quantity WHERE order_id = $1")
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
