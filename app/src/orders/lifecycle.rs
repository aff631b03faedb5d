//! An order's life after it is placed: paid, packed, shipped, delivered, cancelled, refunded,
//! returned. Every change is checked against `status_rules`, made by one conditional `UPDATE`
//! (so two staff members or a webhook and a timeout cannot both move the same order), recorded
//! in `order_events` with who and when, and mailed to the customer in the same transaction.

use super::status_rules::{self, Actor};
use crate::catalog::stock_ledger::{self, OrderLine};
use crate::coupons::rules as coupons;
use crate::email::{outbox, templates};
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use shop_types::{Money, OrderStatus, PaymentMethod};
use sqlx::{AnyConnection, Row};

/// What order mails need to know about the shop.
#[derive(Clone, Debug)]
pub struct OrderMail {
    pub public_url: String,
    pub bank_details: String,
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
    #[error("Order not found.")]
    NotFound,
    #[error("An order that is {from} cannot become {to}.")]
    NotAllowed {
        from: &'static str,
        to: &'static str,
    },
    #[error("The order changed meanwhile; reload it and try again.")]
    Changed,
    #[error("Enter the carrier and the tracking number.")]
    MissingTracking,
    #[error(
        "Keep the carrier under {} and the tracking number under {} characters.",
        Shipment::MAX_CARRIER,
        Shipment::MAX_TRACKING
    )]
    TrackingTooLong,
    #[error("{0}")]
    BadAmount(String),
    #[error("The payment provider refused: {0}")]
    Provider(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl OrderError {
    pub fn into_app_error(self) -> shop_types::AppError {
        use shop_types::AppError;
        match self {
            Self::Db(e) => crate::platform::errors::internal("orders")(e),
            Self::NotFound => AppError::not_found("Order"),
            Self::MissingTracking | Self::TrackingTooLong => {
                AppError::validation("tracking_number", self.to_string())
            }
            Self::BadAmount(_) => AppError::validation("amount", self.to_string()),
            other => AppError::conflict(other.to_string()),
        }
    }
}

/// The facts about an order that its changes depend on.
#[derive(Clone, Debug)]
pub struct Core {
    pub id: String,
    pub number: i64,
    pub status: OrderStatus,
    pub method: PaymentMethod,
    pub email: String,
    pub user_id: Option<String>,
    pub cart_id: Option<String>,
    pub total: i64,
    pub refunded: i64,
    pub currency: String,
    pub released: bool,
    pub coupon_id: Option<String>,
    pub access_hash: String,
}

/// Reads an order's core facts.
pub async fn core(conn: &mut AnyConnection, order_id: &str) -> Result<Option<Core>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, number, status, payment_method, email, user_id, cart_id, total_minor, refunded_minor,
                currency, released, coupon_id, access_hash
         FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let status: String = r.try_get("status")?;
    let method: String = r.try_get("payment_method")?;
    Ok(Some(Core {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        status: OrderStatus::parse(&status).ok_or_else(|| sqlx::Error::Decode(status.into()))?,
        method: PaymentMethod::parse(&method).ok_or_else(|| sqlx::Error::Decode(method.into()))?,
        email: r.try_get("email")?,
        user_id: r.try_get("user_id")?,
        cart_id: r.try_get("cart_id")?,
        total: r.try_get("total_minor")?,
        refunded: r.try_get("refunded_minor")?,
        currency: r.try_get("currency")?,
        released: r.try_get::<i64, _>("released")? == 1,
        coupon_id: r.try_get("coupon_id")?,
        access_hash: r.try_get("access_hash")?,
    }))
}

impl Core {
    fn money(&self, minor: i64) -> String {
        shop_types::Currency::parse(&self.currency)
            .map(|c| Money::new(minor, c).to_string())
            .unwrap_or_else(|_| format!("{minor} {}", self.currency))
    }

    fn customer_key(&self) -> String {
        coupons::customer_key(self.user_id.as_deref(), &self.email)
    }
}

/// Adds a line to the order's history.
pub async fn record_event(
    tx: &mut AnyConnection,
    order_id: &str,
    from: Option<OrderStatus>,
    to: OrderStatus,
    actor: &str,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO order_events (id, order_id, from_status, to_status, actor, note, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id().to_string())
    .bind(order_id)
    .bind(from.map(|s| s.as_str()))
    .bind(to.as_str())
    .bind(actor)
    .bind(note)
    .bind(now().millis())
    .execute(tx)
    .await
    .map(|_| ())
}

/// Takes the ordered units out of the cart the order came from (lines added since stay).
pub async fn empty_cart_of(tx: &mut AnyConnection, order_id: &str) -> Result<(), sqlx::Error> {
    crate::cart::cart_service::remove_ordered(tx, order_id).await?;
    sqlx::query(
        "UPDATE checkouts SET coupon_code = NULL WHERE cart_id = (SELECT cart_id FROM orders WHERE id = $1)",
    )
    .bind(order_id)
    .execute(tx)
    .await
    .map(|_| ())
}

async fn lines_for_mail(
    tx: &mut AnyConnection,
    order_id: &str,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT CASE WHEN variant_title = '' THEN title ELSE title || ' (' || variant_title || ')' END,
                quantity, line_total_minor
         FROM order_lines WHERE order_id = $1 ORDER BY position",
    )
    .bind(order_id)
    .fetch_all(tx)
    .await
}

/// What the "thank you for your order" mail says.
#[derive(Clone, Debug)]
pub struct Confirmation {
    pub order_id: String,
    pub email: String,
    pub number: i64,
    pub method: PaymentMethod,
    pub total: i64,
    pub currency: String,
    /// (what, quantity, line total in minor units)
    pub lines: Vec<(String, i64, i64)>,
}

impl Confirmation {
    /// Reads it from a stored order.
    pub async fn load(tx: &mut AnyConnection, order_id: &str) -> Result<Self, sqlx::Error> {
        let order = core(tx, order_id).await?.ok_or(sqlx::Error::RowNotFound)?;
        Ok(Self {
            order_id: order.id,
            email: order.email,
            number: order.number,
            method: order.method,
            total: order.total,
            currency: order.currency,
            lines: lines_for_mail(tx, order_id).await?,
        })
    }

    /// Queues the mail in `tx`.
    pub async fn queue(
        &self,
        tx: &mut AnyConnection,
        mail: &OrderMail,
        link_key: &str,
    ) -> Result<(), sqlx::Error> {
        let money = |minor: i64| {
            shop_types::Currency::parse(&self.currency)
                .map(|c| Money::new(minor, c).to_string())
                .unwrap_or_else(|_| format!("{minor} {}", self.currency))
        };
        let lines: Vec<String> = self
            .lines
            .iter()
            .map(|(title, qty, total)| format!("{qty} × {title}: {}", money(*total)))
            .collect();
        let bank = (self.method == PaymentMethod::BankTransfer).then(|| {
            format!(
                "Please transfer {} to {} quoting \"Order {}\". We ship when the money arrives.",
                money(self.total),
                mail.bank_details,
                self.number
            )
        });
        // Read now, in the same transaction: a shop renamed in Settings signs the next mail
        // with its new name.
        let store_name = crate::store::queries::current(&mut *tx).await?.name;
        let email = templates::order_confirmation(
            &store_name,
            &self.email,
            self.number,
            &lines,
            &money(self.total),
            bank.as_deref(),
            &mail.link(&self.order_id, link_key),
        );
        outbox::queue(&mut *tx, &email).await
    }
}

/// Queues the "your order is now …" mail.
pub async fn queue_status_mail(
    tx: &mut AnyConnection,
    mail: &OrderMail,
    order: &Core,
    to: OrderStatus,
    detail: &str,
    link_key: &str,
) -> Result<(), sqlx::Error> {
    let store_name = crate::store::queries::current(&mut *tx).await?.name;
    let email = templates::order_status(
        &store_name,
        &order.email,
        order.number,
        to.label(),
        detail,
        &mail.link(&order.id, link_key),
    );
    outbox::queue(&mut *tx, &email).await?;
    crate::push::alerts::order_status(
        tx,
        crate::push::alerts::OrderRef {
            id: &order.id,
            number: order.number,
            user_id: order.user_id.as_deref(),
        },
        to,
        detail,
    )
    .await
}

/// Gives back an order's stock and coupon use, once (a flag guards against doing it twice).
/// Returns whether a product came back from sold out.
pub async fn release_in(tx: &mut AnyConnection, order_id: &str) -> Result<bool, sqlx::Error> {
    let flagged = sqlx::query("UPDATE orders SET released = 1 WHERE id = $1 AND released = 0")
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
    if flagged.rows_affected() != 1 {
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
    actor: &str,
    note: &str,
) -> Result<bool, sqlx::Error> {
    let moved = sqlx::query(
        "UPDATE orders SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND status = 'awaiting_payment'",
    )
    .bind(now().millis())
    .bind(order_id)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    record_event(
        tx,
        order_id,
        Some(OrderStatus::AwaitingPayment),
        OrderStatus::Cancelled,
        actor,
        note,
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
pub async fn mark_paid(
    db: &Db,
    mail: &OrderMail,
    order_id: &str,
    actor: &Actor,
    link_key: &str,
) -> Result<PaidOutcome, OrderError> {
    let mut tx = db.begin_write().await?;
    let order = core(&mut tx, order_id).await?.ok_or(OrderError::NotFound)?;
    match order.status {
        OrderStatus::AwaitingPayment => {}
        OrderStatus::Cancelled => return Ok(PaidOutcome::WasCancelled),
        _ => return Ok(PaidOutcome::AlreadyPaid),
    }
    let invoice = super::numbers::next_number(&mut tx, "invoice_number", 1).await?;
    let at = now().millis();
    let moved = sqlx::query(
        "UPDATE orders SET status = 'paid', paid_at = $1, updated_at = $1, invoice_number = $2, pay_by = NULL
         WHERE id = $3 AND status = 'awaiting_payment'",
    )
    .bind(at)
    .bind(invoice)
    .bind(order_id)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(OrderError::Changed);
    }
    record_event(
        &mut tx,
        order_id,
        Some(OrderStatus::AwaitingPayment),
        OrderStatus::Paid,
        &actor.as_stored(),
        "",
    )
    .await?;
    crate::catalog::product_store::count_sales_of_order(&mut tx, order_id).await?;
    if order.method == PaymentMethod::Card {
        empty_cart_of(&mut tx, order_id).await?;
        Confirmation::load(&mut tx, order_id)
            .await?
            .queue(&mut tx, mail, link_key)
            .await?;
    } else {
        queue_status_mail(
            &mut tx,
            mail,
            &order,
            OrderStatus::Paid,
            "We received your payment.",
            link_key,
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
    mail: &OrderMail,
    order_id: &str,
    to: OrderStatus,
    actor: &Actor,
    shipment: Option<Shipment>,
    note: &str,
) -> Result<bool, OrderError> {
    let link_key = &super::links::link_key(db, order_id).await?;
    if matches!(
        to,
        OrderStatus::Paid | OrderStatus::PartlyRefunded | OrderStatus::Refunded
    ) {
        return Err(OrderError::NotAllowed {
            from: "any",
            to: to.as_str(),
        });
    }
    let mut tx = db.begin_write().await?;
    let order = core(&mut tx, order_id).await?.ok_or(OrderError::NotFound)?;
    let from = order.status;
    if !status_rules::allowed(from, to, order.method) || !status_rules::may(actor, from, to) {
        return Err(OrderError::NotAllowed {
            from: from.label(),
            to: to.label(),
        });
    }
    let at = now().millis();
    let mut detail = String::new();
    if to == OrderStatus::Shipped {
        let s = shipment.unwrap_or_default();
        let (carrier, tracking) = Shipment::check(&s.carrier, &s.tracking_number, true)?;
        sqlx::query("UPDATE orders SET carrier = $1, tracking_number = $2 WHERE id = $3")
            .bind(carrier)
            .bind(tracking)
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        detail = format!("Carrier: {carrier}. Tracking number: {tracking}.");
    }
    if to == OrderStatus::Fulfilled {
        super::fulfilment::take_all_remaining(&mut tx, order_id, actor).await?;
    }
    move_status(&mut tx, order_id, from, to, at).await?;
    record_event(&mut tx, order_id, Some(from), to, &actor.as_stored(), note).await?;
    let mut back_in_stock = false;
    if to == OrderStatus::Cancelled {
        back_in_stock = release_in(&mut tx, order_id).await?;
        detail = "Nothing will be charged; if you already paid, the refund follows.".into();
    }
    if !note.trim().is_empty() && detail.is_empty() && matches!(actor, Actor::Customer) {
        detail = note.trim().to_owned();
    }
    queue_status_mail(&mut tx, mail, &order, to, &detail, link_key).await?;
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
    let moved =
        sqlx::query("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.as_str())
            .bind(at)
            .bind(order_id)
            .bind(from.as_str())
            .execute(&mut *tx)
            .await?;
    if moved.rows_affected() != 1 {
        return Err(OrderError::Changed);
    }
    Ok(())
}

/// Records a refund already made at the provider (`provider`: the payment's id and the
/// provider's refund id) or by hand for manual methods, and moves the order to partly or fully
/// refunded.
pub async fn record_refund(
    db: &Db,
    mail: &OrderMail,
    order_id: &str,
    amount: i64,
    provider: Option<(&str, &str)>,
    reason: &str,
    actor: &Actor,
) -> Result<OrderStatus, OrderError> {
    let link_key = &super::links::link_key(db, order_id).await?;
    let (payment_id, provider_refund_id) = match provider {
        Some((payment, refund)) => (Some(payment), Some(refund)),
        None => (None, None),
    };
    let mut tx = db.begin_write().await?;
    let order = core(&mut tx, order_id).await?.ok_or(OrderError::NotFound)?;
    let left = order.total - order.refunded;
    if amount <= 0 || amount > left {
        return Err(OrderError::BadAmount(format!(
            "Refund between {} and {}.",
            order.money(1),
            order.money(left)
        )));
    }
    let to = if amount == left {
        OrderStatus::Refunded
    } else {
        OrderStatus::PartlyRefunded
    };
    if !status_rules::allowed(order.status, to, order.method) {
        return Err(OrderError::NotAllowed {
            from: order.status.label(),
            to: to.label(),
        });
    }
    let at = now().millis();
    let moved = sqlx::query(
        "UPDATE orders SET status = $1, refunded_minor = refunded_minor + $2, updated_at = $3
         WHERE id = $4 AND status = $5 AND refunded_minor = $6",
    )
    .bind(to.as_str())
    .bind(amount)
    .bind(at)
    .bind(order_id)
    .bind(order.status.as_str())
    .bind(order.refunded)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(OrderError::Changed);
    }
    sqlx::query(
        "INSERT INTO refunds (id, order_id, payment_id, provider_refund_id, amount_minor, reason, actor, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id().to_string())
    .bind(order_id)
    .bind(payment_id)
    .bind(provider_refund_id)
    .bind(amount)
    .bind(reason)
    .bind(actor.as_stored())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if let Some(payment) = payment_id {
        sqlx::query("UPDATE payments SET refunded_minor = refunded_minor + $1, updated_at = $2 WHERE id = $3")
            .bind(amount)
            .bind(at)
            .bind(payment)
            .execute(&mut *tx)
            .await?;
    }
    let note = format!("{} refunded. {}", order.money(amount), reason.trim());
    record_event(
        &mut tx,
        order_id,
        Some(order.status),
        to,
        &actor.as_stored(),
        note.trim(),
    )
    .await?;
    queue_status_mail(
        &mut tx,
        mail,
        &order,
        to,
        &format!(
            "We refunded {} to your original payment method.",
            order.money(amount)
        ),
        link_key,
    )
    .await?;
    tx.commit().await?;
    Ok(to)
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
