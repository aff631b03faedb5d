//! Every write to the order tables (`orders`, `order_lines`, `order_events`, `shipments`,
//! `shipment_lines`, `refunds`), each one statement in the caller's transaction. The rules
//! (which status may follow which, what a refund may be, what a parcel may hold) are decided
//! by `lifecycle` and `fulfilment`; checkout decides what a new order is (prices, coupon,
//! stock). Conditional updates return whether they changed a row, so two staff members or a
//! webhook and a timeout can never both move the same order.

use super::status_rules::Actor;
use crate::platform::clock::now;
use crate::platform::ids::new_id;
use crate::platform::vault::{DataKey, Vault};
use shop_types::{HistoryNote, OrderStatus, PaymentMethod};
use sqlx::AnyConnection;

/// A new order, awaiting payment.
#[derive(Clone, Debug)]
pub struct NewOrder<'a> {
    pub id: &'a str,
    pub number: i64,
    pub store_id: &'a str,
    pub user_id: Option<&'a str>,
    pub cart_id: &'a str,
    pub email: &'a str,
    /// The key that seals the e-mail and addresses: the account's, or the guest checkout's.
    pub key: &'a DataKey,
    pub currency: &'a str,
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub tax: i64,
    pub total: i64,
    pub prices_include_tax: bool,
    pub tax_rate_bp: i64,
    pub tax_name: &'a str,
    /// The delivery address as JSON.
    pub address: String,
    /// The billing address as JSON, when it is not the delivery address.
    pub billing_address: Option<String>,
    pub shipping_name: &'a str,
    pub coupon_id: Option<&'a str>,
    pub coupon_code: Option<&'a str>,
    pub method: PaymentMethod,
    pub idempotency_key: &'a str,
    pub fingerprint: &'a str,
    /// SHA-256 of the key in the order's link.
    pub access_hash: String,
    /// When an unpaid card order expires (milliseconds).
    pub pay_by: Option<i64>,
    pub at: i64,
}

/// One line of a new order.
#[derive(Clone, Debug)]
pub struct NewLine<'a> {
    pub variant_id: &'a str,
    pub product_slug: &'a str,
    pub sku: &'a str,
    pub title: &'a str,
    pub variant_title: &'a str,
    pub quantity: i64,
    pub unit_price: i64,
    pub line_total: i64,
}

/// Inserts the order row, its e-mail and addresses sealed with `o.key`. A unique violation
/// means the idempotency key was used already.
pub async fn insert(
    tx: &mut AnyConnection,
    vault: &Vault,
    o: &NewOrder<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO orders (id, number, store_id, user_id, cart_id, email, status, currency,
            subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, prices_include_tax,
            tax_rate_bp, tax_name, address, shipping_name, coupon_id, coupon_code, payment_method, idempotency_key,
            fingerprint, access_hash, pay_by, created_at, updated_at, billing_address, key_id, email_index)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                 $20, $21, $22, $23, $24, $25, $26, $26, $27, $28, $29)",
    )
    .bind(o.id)
    .bind(o.number)
    .bind(o.store_id)
    .bind(o.user_id)
    .bind(o.cart_id)
    .bind(o.key.seal("orders.email", o.email))
    .bind(OrderStatus::AwaitingPayment.as_str())
    .bind(o.currency)
    .bind(o.subtotal)
    .bind(o.discount)
    .bind(o.shipping)
    .bind(o.tax)
    .bind(o.total)
    .bind(i64::from(o.prices_include_tax))
    .bind(o.tax_rate_bp)
    .bind(o.tax_name)
    .bind(o.key.seal("orders.address", &o.address))
    .bind(o.shipping_name)
    .bind(o.coupon_id)
    .bind(o.coupon_code)
    .bind(o.method.as_str())
    .bind(o.idempotency_key)
    .bind(o.fingerprint)
    .bind(&o.access_hash)
    .bind(o.pay_by)
    .bind(o.at)
    .bind(o.key.seal_opt("orders.billing_address", o.billing_address.as_deref()))
    .bind(o.key.id())
    .bind(vault.email_index(o.email))
    .execute(&mut *tx)
    .await
    .map(|_| ())
}

/// Inserts the order's lines in one statement (every statement is a round trip to SQLite's
/// thread), in the order given.
pub async fn insert_lines(
    tx: &mut AnyConnection,
    order_id: &str,
    lines: &[NewLine<'_>],
) -> Result<(), sqlx::Error> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut sql = String::from(
        "INSERT INTO order_lines (order_id, position, variant_id, product_slug, sku, title, variant_title,
                                  quantity, unit_price_minor, line_total_minor) VALUES ",
    );
    for i in 0..lines.len() {
        let b = i * 9;
        let p: Vec<String> = (2..=10).map(|k| format!("${}", b + k)).collect();
        sql.push_str(&format!(
            "{}($1, {})",
            if i > 0 { ", " } else { "" },
            p.join(", ")
        ));
    }
    let mut query = sqlx::query(&sql).bind(order_id);
    for (position, line) in lines.iter().enumerate() {
        query = query
            .bind(position as i64)
            .bind(line.variant_id)
            .bind(line.product_slug)
            .bind(line.sku)
            .bind(line.title)
            .bind(line.variant_title)
            .bind(line.quantity)
            .bind(line.unit_price)
            .bind(line.line_total);
    }
    query.execute(&mut *tx).await.map(|_| ())
}

/// Adds a line to the order's history: the shop's own `detail` (stored as its code) and what a
/// person typed (`note`). A staff member's change is also an audit entry
/// (`order.status_changed`).
pub async fn record_event(
    tx: &mut AnyConnection,
    order_id: &str,
    from: Option<OrderStatus>,
    to: OrderStatus,
    actor: &Actor,
    detail: Option<&HistoryNote>,
    note: &str,
) -> Result<(), sqlx::Error> {
    if let Actor::Staff(who) = actor {
        crate::platform::audit_trail::record(
            tx,
            who,
            "order.status_changed",
            &format!("order:{order_id}"),
            from.map(|f| serde_json::json!({ "status": f.as_str() })),
            Some(serde_json::json!({ "status": to.as_str(), "detail": detail, "note": note })),
        )
        .await?;
    }
    let actor = actor.as_stored();
    let detail = detail
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO order_events (id, order_id, from_status, to_status, actor, note, detail, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id().to_string())
    .bind(order_id)
    .bind(from.map(|s| s.as_str()))
    .bind(to.as_str())
    .bind(&actor)
    .bind(note)
    .bind(detail)
    .bind(now().millis())
    .execute(tx)
    .await
    .map(|_| ())
}

/// Moves the order from `from` to `to`; false if it was no longer `from`.
pub async fn set_status(
    tx: &mut AnyConnection,
    order_id: &str,
    from: OrderStatus,
    to: OrderStatus,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let moved =
        sqlx::query("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.as_str())
            .bind(at)
            .bind(order_id)
            .bind(from.as_str())
            .execute(tx)
            .await?;
    Ok(moved.rows_affected() == 1)
}

/// Marks an unpaid order paid with its invoice number; false if it was no longer unpaid.
pub async fn set_paid(
    tx: &mut AnyConnection,
    order_id: &str,
    invoice_number: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let moved = sqlx::query(
        "UPDATE orders SET status = 'paid', paid_at = $1, updated_at = $1, invoice_number = $2, pay_by = NULL
         WHERE id = $3 AND status = 'awaiting_payment'",
    )
    .bind(at)
    .bind(invoice_number)
    .bind(order_id)
    .execute(tx)
    .await?;
    Ok(moved.rows_affected() == 1)
}

/// Holds the order for a risk review (`held`) or releases it; false if it already was so.
pub async fn set_held(
    tx: &mut AnyConnection,
    order_id: &str,
    held: bool,
) -> Result<bool, sqlx::Error> {
    let changed =
        sqlx::query("UPDATE orders SET held = $1, updated_at = $2 WHERE id = $3 AND held = $4")
            .bind(i64::from(held))
            .bind(now().millis())
            .bind(order_id)
            .bind(i64::from(!held))
            .execute(tx)
            .await?;
    Ok(changed.rows_affected() == 1)
}

/// Flags the order's stock and coupon use as given back; false if they already were.
pub async fn set_released(tx: &mut AnyConnection, order_id: &str) -> Result<bool, sqlx::Error> {
    let flagged = sqlx::query("UPDATE orders SET released = 1 WHERE id = $1 AND released = 0")
        .bind(order_id)
        .execute(tx)
        .await?;
    Ok(flagged.rows_affected() == 1)
}

/// Stores the carrier and tracking number of an order shipped whole.
pub async fn set_tracking(
    tx: &mut AnyConnection,
    order_id: &str,
    carrier: &str,
    tracking: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE orders SET carrier = $1, tracking_number = $2 WHERE id = $3")
        .bind(carrier)
        .bind(tracking)
        .bind(order_id)
        .execute(tx)
        .await
        .map(|_| ())
}

/// A refund as the order's books keep it.
#[derive(Clone, Debug)]
pub struct NewRefund<'a> {
    pub order_id: &'a str,
    /// The status and refunded total the refund was decided on (it fails if either changed).
    pub from: OrderStatus,
    pub refunded_before: i64,
    pub to: OrderStatus,
    pub amount: i64,
    /// The card payment refunded, and the provider's id of the refund.
    pub payment_id: Option<&'a str>,
    pub provider_refund_id: Option<&'a str>,
    pub reason: &'a str,
    pub actor: &'a str,
    pub at: i64,
}

/// Adds the refund to the order and records it; false if the order changed meanwhile.
pub async fn add_refund(tx: &mut AnyConnection, r: &NewRefund<'_>) -> Result<bool, sqlx::Error> {
    let moved = sqlx::query(
        "UPDATE orders SET status = $1, refunded_minor = refunded_minor + $2, updated_at = $3
         WHERE id = $4 AND status = $5 AND refunded_minor = $6",
    )
    .bind(r.to.as_str())
    .bind(r.amount)
    .bind(r.at)
    .bind(r.order_id)
    .bind(r.from.as_str())
    .bind(r.refunded_before)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO refunds (id, order_id, payment_id, provider_refund_id, amount_minor, reason, actor, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id().to_string())
    .bind(r.order_id)
    .bind(r.payment_id)
    .bind(r.provider_refund_id)
    .bind(r.amount)
    .bind(r.reason)
    .bind(r.actor)
    .bind(r.at)
    .execute(&mut *tx)
    .await?;
    Ok(true)
}

/// Records a parcel; returns its id.
pub async fn insert_shipment(
    tx: &mut AnyConnection,
    order_id: &str,
    location_id: Option<&str>,
    carrier: &str,
    tracking: &str,
    actor: &str,
    at: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id().to_string();
    sqlx::query(
        "INSERT INTO shipments (id, order_id, location_id, carrier, tracking_number, actor, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(order_id)
    .bind(location_id)
    .bind(carrier)
    .bind(tracking)
    .bind(actor)
    .bind(at)
    .execute(tx)
    .await?;
    Ok(id)
}

/// Puts `quantity` units of the order's line `position` into the parcel; false if that would
/// send more than was ordered (the line changed meanwhile).
pub async fn ship_line(
    tx: &mut AnyConnection,
    shipment_id: &str,
    order_id: &str,
    position: i64,
    quantity: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query("INSERT INTO shipment_lines (shipment_id, position, quantity) VALUES ($1, $2, $3)")
        .bind(shipment_id)
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
    .execute(tx)
    .await?;
    Ok(moved.rows_affected() == 1)
}

/// Counts every line of the order as sent.
pub async fn ship_all_lines(tx: &mut AnyConnection, order_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE order_lines SET fulfilled_quantity = quantity WHERE order_id = $1")
        .bind(order_id)
        .execute(tx)
        .await
        .map(|_| ())
}

/// Seals the e-mail and addresses of up to `batch` orders written before encryption, with
/// the account's key (or a key of their own, for guest orders); returns how many.
pub async fn seal_written_before(
    tx: &mut AnyConnection,
    vault: &Vault,
    batch: i64,
) -> Result<u64, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT id, user_id, email, address, billing_address FROM orders WHERE key_id IS NULL LIMIT $1",
    )
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    for r in &rows {
        let user_id: Option<String> = r.try_get("user_id")?;
        let key = match &user_id {
            Some(user) => crate::identity::users::data_key(tx, vault, user).await?,
            None => None,
        };
        let key = match key {
            Some(key) => key,
            None => vault.new_key(&mut *tx).await?,
        };
        let email: String = r.try_get("email")?;
        let address: String = r.try_get("address")?;
        let billing: Option<String> = r.try_get("billing_address")?;
        sqlx::query(
            "UPDATE orders SET email = $1, email_index = $2, address = $3, billing_address = $4, key_id = $5
             WHERE id = $6 AND key_id IS NULL",
        )
        .bind(key.seal("orders.email", &email))
        .bind(vault.email_index(&email))
        .bind(key.seal("orders.address", &address))
        .bind(key.seal_opt("orders.billing_address", billing.as_deref()))
        .bind(key.id())
        .bind(r.try_get::<String, _>("id")?)
        .execute(&mut *tx)
        .await?;
    }
    Ok(rows.len() as u64)
}

/// Pseudonymises the orders of an erased customer (placed by account `user_id`, or as a guest
/// with the same e-mail, by its blind index): they keep totals, lines and tax, get
/// `pseudonym`, lose the e-mail index and the repeat fingerprint. Returns the data keys that
/// sealed them (for the caller to destroy) and how many orders were kept.
pub async fn erase_customer(
    tx: &mut AnyConnection,
    user_id: &str,
    email_index: &str,
    pseudonym: &str,
    at: i64,
) -> Result<(Vec<String>, u64), sqlx::Error> {
    let keys: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT DISTINCT key_id FROM orders WHERE user_id = $1 OR email_index = $2",
    )
    .bind(user_id)
    .bind(email_index)
    .fetch_all(&mut *tx)
    .await?;
    let done = sqlx::query(
        "UPDATE orders SET pseudonym = $1, erased_at = $2, email_index = NULL, fingerprint = '', updated_at = $2
         WHERE user_id = $3 OR email_index = $4",
    )
    .bind(pseudonym)
    .bind(at)
    .bind(user_id)
    .bind(email_index)
    .execute(&mut *tx)
    .await?;
    Ok((keys.into_iter().flatten().collect(), done.rows_affected()))
}

/// An order from before the shop ran here (demo history, a migration from another system):
/// one line, already in its final status.
#[derive(Clone, Debug)]
pub struct PastOrder<'a> {
    pub id: &'a str,
    pub number: i64,
    pub store_id: &'a str,
    pub email: &'a str,
    pub status: OrderStatus,
    pub currency: &'a str,
    pub subtotal: i64,
    pub shipping: i64,
    pub tax: i64,
    pub total: i64,
    /// The delivery address as JSON.
    pub address: &'a str,
    pub method: PaymentMethod,
    pub refunded: i64,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub line: NewLine<'a>,
    pub fulfilled: i64,
}

/// Inserts a past order (with a data key of its own, as a guest order) and its line.
pub async fn insert_past(
    tx: &mut AnyConnection,
    vault: &Vault,
    o: &PastOrder<'_>,
) -> Result<(), sqlx::Error> {
    let key = vault.new_key(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO orders (id, number, store_id, email, status, currency, subtotal_minor, discount_minor,
                shipping_minor, tax_minor, total_minor, prices_include_tax, tax_rate_bp, tax_name, address,
                shipping_name, payment_method, idempotency_key, fingerprint, access_hash, refunded_minor,
                created_at, updated_at, paid_at, key_id, email_index)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, 1, 1900, 'VAT', $11, 'Standard', $12, $13, '', '', $14, $15, $15, $16, $17, $18)",
    )
    .bind(o.id)
    .bind(o.number)
    .bind(o.store_id)
    .bind(key.seal("orders.email", o.email))
    .bind(o.status.as_str())
    .bind(o.currency)
    .bind(o.subtotal)
    .bind(o.shipping)
    .bind(o.tax)
    .bind(o.total)
    .bind(key.seal("orders.address", o.address))
    .bind(o.method.as_str())
    .bind(format!("generated-{}", o.id))
    .bind(o.refunded)
    .bind(o.created_at)
    .bind(o.paid_at)
    .bind(key.id())
    .bind(vault.email_index(o.email))
    .execute(&mut *tx)
    .await?;
    let l = &o.line;
    sqlx::query(
        "INSERT INTO order_lines (order_id, position, variant_id, product_slug, sku, title, variant_title, quantity,
                unit_price_minor, line_total_minor, fulfilled_quantity)
         VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(o.id)
    .bind(l.variant_id)
    .bind(l.product_slug)
    .bind(l.sku)
    .bind(l.title)
    .bind(l.variant_title)
    .bind(l.quantity)
    .bind(l.unit_price)
    .bind(l.line_total)
    .bind(o.fulfilled)
    .execute(&mut *tx)
    .await
    .map(|_| ())
}

/// Blanks the pseudonym of orders whose customer was erased before `before` (its retention
/// period): the orders stay, naming no one. How many changed.
pub async fn forget_pseudonyms(
    db: &crate::platform::db::Db,
    before: i64,
) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE orders SET pseudonym = NULL WHERE erased_at < $1 AND pseudonym IS NOT NULL",
    )
    .bind(before)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}
