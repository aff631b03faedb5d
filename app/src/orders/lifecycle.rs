//! An order's life after it is placed: paid, packed, shipped, delivered, cancelled, refunded,
//! returned. Every change is checked against `status_rules`, made by one conditional `UPDATE`
//! (so two staff members or a webhook and a timeout cannot both move the same order), recorded
//! in `order_events` with who and when, and mailed to the customer in the same transaction.

use super::events::{OrderConfirmed, StatusChanged};
use super::order_facts::{Core, core};
use super::order_store;
use super::status_rules::{self, Actor};
use crate::catalog::stock_ledger::{self, OrderLine};
use crate::coupons::rules as coupons;
use crate::platform::clock::now;
use crate::platform::db::Db;
use shop_types::{AppError, Problem, Thing};
use shop_types::{HistoryNote, OrderStatus, PaymentMethod, StatusDetail};
use sqlx::AnyConnection;

/// How long a card order holds its stock while the shopper pays.
pub const PAYMENT_WINDOW_MS: i64 = 30 * shop_types::Timestamp::MINUTE;

/// Cancels an unpaid card order when its payment window closes (queued at placing; the
/// payments domain handles it, stopping the payment first).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ExpireUnpaid {
    pub order_id: String,
}

impl crate::platform::jobs::Job for ExpireUnpaid {
    const KIND: &'static str = "orders.expire_unpaid";
}

/// What order mails need to know about the shop.
#[derive(Clone, Debug)]
pub struct OrderMail {
    pub public_url: String,
    /// The shop's bank account (`SHOP_BANK_DETAILS`); none when it takes no transfers.
    pub bank_details: Option<String>,
}

impl OrderMail {
    /// The order's page, with the key that opens it without signing in.
    pub fn link(&self, order_id: &str, key: &str) -> String {
        format!("{}/orders/{order_id}?key={key}", self.public_url)
    }
}

/// A change was refused; messages are fit to show.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error("{}", AppError::not_found(Thing::Order))]
    NotFound,
    /// `from` is `None` when no status may become `to` by hand.
    #[error("{}", Problem::from(self))]
    NotAllowed {
        from: Option<OrderStatus>,
        to: OrderStatus,
    },
    #[error("{}", Problem::from(self))]
    Changed,
    #[error("{}", Problem::from(self))]
    MissingTracking,
    #[error("{}", Problem::from(self))]
    TrackingTooLong,
    /// An amount or a number of units is refused.
    #[error("{0}")]
    BadAmount(Problem),
    #[error("{}", Problem::from(self))]
    Provider(String),
    /// Held for a risk review: staff approve it in the review queue first.
    #[error("{}", Problem::from(self))]
    OnHold,
    /// Not (or no longer) held for a review.
    #[error("{}", Problem::from(self))]
    NotHeld,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl OrderError {
    pub fn into_app_error(self) -> AppError {
        match self {
            Self::Db(e) => crate::platform::errors::internal("orders")(e),
            Self::NotFound => AppError::not_found(Thing::Order),
            Self::MissingTracking | Self::TrackingTooLong => {
                AppError::validation("tracking_number", &self)
            }
            Self::BadAmount(problem) => AppError::validation("amount", problem),
            other => AppError::conflict(&other),
        }
    }
}

/// Takes the ordered units out of the cart the order came from (lines added since stay). The
/// checkout forgets its coupon in its reaction to the order's confirmation.
pub async fn empty_cart_of(tx: &mut AnyConnection, order_id: &str) -> Result<(), sqlx::Error> {
    crate::cart::cart_service::remove_ordered(tx, order_id).await
}

/// Records that an order changed status, in the change's transaction: the customer is mailed
/// and pushed by the reactions to [`StatusChanged`].
pub async fn announce_status(
    tx: &mut AnyConnection,
    order_id: &str,
    to: OrderStatus,
    detail: StatusDetail,
) -> Result<(), sqlx::Error> {
    let event = StatusChanged {
        order_id: order_id.to_owned(),
        to,
        detail,
    };
    crate::platform::events::record(tx, &event).await
}

/// Records that an order is confirmed, in its transaction: the confirmation mail follows.
pub async fn announce_confirmed(tx: &mut AnyConnection, order_id: &str) -> Result<(), sqlx::Error> {
    let event = OrderConfirmed {
        order_id: order_id.to_owned(),
    };
    crate::platform::events::record(tx, &event).await
}

/// Gives back an order's stock and coupon use, once (a flag guards against doing it twice).
/// Returns whether a product came back from sold out.
pub async fn release_in(tx: &mut AnyConnection, order_id: &str) -> Result<bool, sqlx::Error> {
    if !order_store::set_released(tx, order_id).await? {
        return Ok(false);
    }
    let order = core(tx, order_id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let lines: Vec<(Option<String>, i64)> = sqlx::query_as(
        "SELECT variant_id, quantity FROM order_lines WHERE order_id = $1 ORDER BY position",
    )
    .bind(order_id)
    .fetch_all(&mut *tx)
    .await?;
    let lines: Vec<(String, i64)> = lines
        .into_iter()
        .filter_map(|(variant, quantity)| Some((variant?, quantity)))
        .collect();
    let lines: Vec<OrderLine<'_>> = lines
        .iter()
        .map(|(variant_id, quantity)| OrderLine {
            variant_id,
            quantity: *quantity,
        })
        .collect();
    let back_in_stock = stock_ledger::give_back_order(tx, order_id, &lines).await?;
    if let Some(coupon) = &order.coupon_id {
        coupons::release(tx, coupon, &order.customer_key()).await?;
    }
    Ok(back_in_stock)
}

/// Cancels an unpaid order and gives its stock back. False if it was no longer unpaid.
pub async fn cancel_unpaid_in(
    tx: &mut AnyConnection,
    order_id: &str,
    actor: &Actor,
    why: HistoryNote,
) -> Result<bool, sqlx::Error> {
    let at = now().millis();
    if !order_store::set_status(
        tx,
        order_id,
        OrderStatus::AwaitingPayment,
        OrderStatus::Cancelled,
        at,
    )
    .await?
    {
        return Ok(false);
    }
    order_store::record_event(
        tx,
        order_id,
        Some(OrderStatus::AwaitingPayment),
        OrderStatus::Cancelled,
        actor,
        Some(&why),
        "",
    )
    .await?;
    release_in(tx, order_id).await?;
    Ok(true)
}

/// What marking an order paid did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaidOutcome {
    /// It was unpaid and is now paid.
    Paid,
    /// It was already past payment: nothing changed.
    AlreadyPaid,
    /// It was cancelled (its stock given back) before the money came: the caller refunds.
    WasCancelled,
}

/// Marks an unpaid order paid: gives it the next invoice number, counts the units sold,
/// empties them from the cart, records and mails it.
pub async fn mark_paid(db: &Db, order_id: &str, actor: &Actor) -> Result<PaidOutcome, OrderError> {
    let mut tx = db.begin_write().await?;
    let order = core(&mut tx, order_id).await?.ok_or(OrderError::NotFound)?;
    match order.status {
        OrderStatus::AwaitingPayment => {}
        OrderStatus::Cancelled => return Ok(PaidOutcome::WasCancelled),
        _ => return Ok(PaidOutcome::AlreadyPaid),
    }
    let invoice = super::numbers::next_number(&mut tx, "invoice_number", 1).await?;
    let at = now().millis();
    if !order_store::set_paid(&mut tx, order_id, invoice, at).await? {
        return Err(OrderError::Changed);
    }
    order_store::record_event(
        &mut tx,
        order_id,
        Some(OrderStatus::AwaitingPayment),
        OrderStatus::Paid,
        actor,
        None,
        "",
    )
    .await?;
    crate::catalog::product_store::count_sales_of_order(&mut tx, order_id).await?;
    if order.method == PaymentMethod::Card {
        empty_cart_of(&mut tx, order_id).await?;
        announce_confirmed(&mut tx, order_id).await?;
    } else {
        announce_status(
            &mut tx,
            order_id,
            OrderStatus::Paid,
            StatusDetail::PaymentReceived,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(PaidOutcome::Paid)
}

/// Shipping details for the change to `Shipped`.
#[derive(Clone, Debug, Default)]
pub struct Shipment {
    pub carrier: String,
    pub tracking_number: String,
}

impl Shipment {
    /// Longest carrier name, in characters.
    pub const MAX_CARRIER: usize = 60;
    /// Longest tracking number, in characters.
    pub const MAX_TRACKING: usize = 80;

    /// The one check of a carrier and tracking number (trimmed), for a status change to
    /// shipped (`required`) and for a parcel (either may be left empty).
    pub fn check<'a>(
        carrier: &'a str,
        tracking: &'a str,
        required: bool,
    ) -> Result<(&'a str, &'a str), OrderError> {
        let (carrier, tracking) = (carrier.trim(), tracking.trim());
        if required && (carrier.is_empty() || tracking.is_empty()) {
            return Err(OrderError::MissingTracking);
        }
        if carrier.chars().count() > Self::MAX_CARRIER
            || tracking.chars().count() > Self::MAX_TRACKING
        {
            return Err(OrderError::TrackingTooLong);
        }
        Ok((carrier, tracking))
    }
}

/// Moves an order to `to` on behalf of `actor` (not payments or refunds, which have their own
/// functions). Packing (`Fulfilled`, `PartlyFulfilled`) sets or checks the packed quantities.
pub async fn transition(
    db: &Db,
    order_id: &str,
    to: OrderStatus,
    actor: &Actor,
    shipment: Option<Shipment>,
    note: &str,
) -> Result<bool, OrderError> {
    if matches!(
        to,
        OrderStatus::Paid | OrderStatus::PartlyRefunded | OrderStatus::Refunded
    ) {
        return Err(OrderError::NotAllowed { from: None, to });
    }
    let mut tx = db.begin_write().await?;
    let order = core(&mut tx, order_id).await?.ok_or(OrderError::NotFound)?;
    let from = order.status;
    if order.held && status_rules::needs_release(to) {
        return Err(OrderError::OnHold);
    }
    if !status_rules::allowed(from, to, order.method) || !status_rules::may(actor, from, to) {
        return Err(OrderError::NotAllowed {
            from: Some(from),
            to,
        });
    }
    let at = now().millis();
    let mut detail = StatusDetail::None;
    if to == OrderStatus::Shipped {
        let s = shipment.unwrap_or_default();
        let (carrier, tracking) = Shipment::check(&s.carrier, &s.tracking_number, true)?;
        order_store::set_tracking(&mut tx, order_id, carrier, tracking).await?;
        detail = StatusDetail::Shipped {
            carrier: carrier.to_owned(),
            tracking: tracking.to_owned(),
        };
    }
    if to == OrderStatus::Fulfilled {
        super::fulfilment::take_all_remaining(&mut tx, order_id, actor).await?;
    }
    move_status(&mut tx, order_id, from, to, at).await?;
    let cancelled_by_customer = (to == OrderStatus::Cancelled && matches!(actor, Actor::Customer))
        .then_some(HistoryNote::CancelledByCustomer);
    order_store::record_event(
        &mut tx,
        order_id,
        Some(from),
        to,
        actor,
        cancelled_by_customer.as_ref(),
        note,
    )
    .await?;
    let mut back_in_stock = false;
    if to == OrderStatus::Cancelled {
        back_in_stock = release_in(&mut tx, order_id).await?;
        detail = StatusDetail::Cancelled;
    }
    if !note.trim().is_empty() && detail == StatusDetail::None && matches!(actor, Actor::Customer) {
        detail = StatusDetail::CustomerNote {
            text: note.trim().to_owned(),
        };
    }
    announce_status(&mut tx, order_id, to, detail).await?;
    tx.commit().await?;
    Ok(back_in_stock)
}

/// Moves the order from `from` to `to` with one conditional statement: if another request
/// changed it meanwhile, nothing moves and the caller's transaction is abandoned.
pub async fn move_status(
    tx: &mut AnyConnection,
    order_id: &str,
    from: OrderStatus,
    to: OrderStatus,
    at: i64,
) -> Result<(), OrderError> {
    if order_store::set_status(tx, order_id, from, to, at).await? {
        Ok(())
    } else {
        Err(OrderError::Changed)
    }
}

/// Records a refund already made at the provider (`provider`: the payment's id and the
/// provider's refund id) or by hand for manual methods, and moves the order to partly or fully
/// refunded, in the caller's transaction (the payments domain books its side in the same one).
/// The status a refund of `amount` leads the order to, if it may be refunded that much in its
/// present state. Checked before any money moves at the provider, and again when the refund
/// is recorded.
pub fn refund_allowed(
    order: &super::order_facts::Core,
    amount: i64,
) -> Result<OrderStatus, OrderError> {
    let left = order.total - order.refunded;
    if amount <= 0 || amount > left {
        return Err(OrderError::BadAmount(order.refund_range()));
    }
    let to = if amount == left {
        OrderStatus::Refunded
    } else {
        OrderStatus::PartlyRefunded
    };
    if !status_rules::allowed(order.status, to, order.method) {
        return Err(OrderError::NotAllowed {
            from: Some(order.status),
            to,
        });
    }
    Ok(to)
}

pub async fn record_refund(
    tx: &mut AnyConnection,
    order_id: &str,
    amount: i64,
    provider: Option<(&str, &str)>,
    reason: &str,
    actor: &Actor,
) -> Result<OrderStatus, OrderError> {
    let (payment_id, provider_refund_id) = match provider {
        Some((payment, refund)) => (Some(payment), Some(refund)),
        None => (None, None),
    };
    let order = core(tx, order_id).await?.ok_or(OrderError::NotFound)?;
    let to = refund_allowed(&order, amount)?;
    let stored_actor = actor.as_stored();
    let refund = order_store::NewRefund {
        order_id,
        from: order.status,
        refunded_before: order.refunded,
        to,
        amount,
        payment_id,
        provider_refund_id,
        reason,
        actor: &stored_actor,
        at: now().millis(),
    };
    if !order_store::add_refund(tx, &refund).await? {
        return Err(OrderError::Changed);
    }
    let refunded = HistoryNote::Refunded {
        amount: order.amount(amount),
    };
    order_store::record_event(
        tx,
        order_id,
        Some(order.status),
        to,
        actor,
        Some(&refunded),
        reason.trim(),
    )
    .await?;
    announce_status(
        tx,
        order_id,
        to,
        StatusDetail::Refunded {
            amount: order.amount(amount),
        },
    )
    .await?;
    Ok(to)
}

impl From<&OrderError> for Problem {
    fn from(error: &OrderError) -> Self {
        match error {
            OrderError::NotAllowed { from, to } => Problem::StatusChangeRefused {
                from: *from,
                to: *to,
            },
            OrderError::MissingTracking => Problem::TrackingMissing,
            OrderError::TrackingTooLong => Problem::TrackingTooLong {
                carrier_max: Shipment::MAX_CARRIER as u32,
                tracking_max: Shipment::MAX_TRACKING as u32,
            },
            OrderError::BadAmount(problem) => problem.clone(),
            OrderError::Provider(detail) => Problem::ProviderRefused {
                detail: detail.clone(),
            },
            OrderError::Changed => Problem::OrderChanged,
            OrderError::OnHold => Problem::OrderOnHold,
            OrderError::NotHeld => Problem::OrderNotHeld,
            OrderError::NotFound | OrderError::Db(_) => Problem::Unexpected,
        }
    }
}

/// Holds an order for a risk review, in the placing (or paying) transaction.
pub async fn hold_in(tx: &mut AnyConnection, order_id: &str) -> Result<(), sqlx::Error> {
    order_store::set_held(tx, order_id, true).await.map(|_| ())
}

/// Releases a held order after staff reviewed it (`note` says how it ended), recorded in its
/// history. [`OrderError::NotHeld`] if someone else decided it first.
pub async fn release_hold_in(
    tx: &mut AnyConnection,
    order_id: &str,
    actor: &Actor,
    note: HistoryNote,
) -> Result<Core, OrderError> {
    let order = core(tx, order_id).await?.ok_or(OrderError::NotFound)?;
    if !order_store::set_held(tx, order_id, false).await? {
        return Err(OrderError::NotHeld);
    }
    order_store::record_event(
        tx,
        order_id,
        Some(order.status),
        order.status,
        actor,
        Some(&note),
        "",
    )
    .await?;
    Ok(order)
}

#[cfg(test)]
mod shipment_tests {
    use super::{OrderError, Shipment};

    #[test]
    fn carrier_and_tracking_are_checked_once_in_characters() {
        let sixty_umlauts = "ü".repeat(60);
        assert!(Shipment::check(&sixty_umlauts, "JJD1", true).is_ok());
        assert!(matches!(
            Shipment::check(&"ü".repeat(61), "JJD1", true),
            Err(OrderError::TrackingTooLong)
        ));
        assert!(matches!(
            Shipment::check(" DHL ", " ", true),
            Err(OrderError::MissingTracking)
        ));
        assert_eq!(Shipment::check(" DHL ", "", false).unwrap(), ("DHL", ""));
    }
}
