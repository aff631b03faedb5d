//! Reading orders for their pages: one order in full, a customer's order history.

use super::status_rules;
use super::views::{OrderEventView, OrderLineView, OrderSummary, OrderView};
use crate::platform::vault::Vault;
use crate::ui::format::percent_label;
use shop_types::{Currency, Money, OrderStatus, PaymentMethod, Timestamp};
use sqlx::{AnyConnection, Row};

/// The e-mail address an order shows: opened from its sealed form, or, for an erased
/// customer, their pseudonym's label.
pub fn shown_email(
    opener: &crate::platform::vault::Opener,
    r: &sqlx::any::AnyRow,
) -> Result<String, sqlx::Error> {
    match r.try_get::<Option<String>, _>("pseudonym")? {
        Some(code) => Ok(shop_types::messages::en::erased_customer(&code)),
        None => opener.open("orders.email", &r.try_get::<String, _>("email")?),
    }
}

fn decode<E: std::error::Error + Send + Sync + 'static>(e: E) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(e))
}

/// The order as its page shows it. `bank_details` fill the transfer instructions.
pub async fn view(
    conn: &mut AnyConnection,
    vault: &Vault,
    order_id: &str,
    store_name: &str,
    bank_details: Option<&str>,
) -> Result<Option<OrderView>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, number, status, email, created_at, currency, subtotal_minor, discount_minor, shipping_minor,
                tax_minor, total_minor, refunded_minor, prices_include_tax, tax_rate_bp, tax_name, coupon_code,
                shipping_name, payment_method, pay_by, invoice_number, carrier, tracking_number, address, billing_address, key_id, pseudonym
         FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let currency = Currency::parse(&r.try_get::<String, _>("currency")?).map_err(decode)?;
    let m = |minor: i64| Money::new(minor, currency);
    let status_text: String = r.try_get("status")?;
    let status =
        OrderStatus::parse(&status_text).ok_or_else(|| sqlx::Error::Decode(status_text.into()))?;
    let method_text: String = r.try_get("payment_method")?;
    let method = PaymentMethod::parse(&method_text)
        .ok_or_else(|| sqlx::Error::Decode(method_text.into()))?;
    let key_id: Option<String> = r.try_get("key_id")?;
    let opener = vault.opener(conn, key_id.as_deref()).await?;
    let address = opener.open("orders.address", &r.try_get::<String, _>("address")?)?;
    let billing = opener.open_opt(
        "orders.billing_address",
        r.try_get::<Option<String>, _>("billing_address")?
            .as_deref(),
    )?;
    let number: i64 = r.try_get("number")?;
    let total = m(r.try_get("total_minor")?);

    let lines = sqlx::query(
        "SELECT product_slug, title, variant_title, sku, quantity, unit_price_minor, line_total_minor, fulfilled_quantity
         FROM order_lines WHERE order_id = $1 ORDER BY position",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|l| {
        Ok(OrderLineView {
            product_slug: l.try_get("product_slug")?,
            title: l.try_get("title")?,
            variant: l.try_get("variant_title")?,
            sku: l.try_get("sku")?,
            quantity: l.try_get::<i64, _>("quantity")? as u32,
            unit_price: m(l.try_get("unit_price_minor")?),
            line_total: m(l.try_get("line_total_minor")?),
            fulfilled: l.try_get::<i64, _>("fulfilled_quantity")? as u32,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;

    let pay_by = r.try_get::<Option<i64>, _>("pay_by")?.map(Timestamp);
    let history = sqlx::query(
        "SELECT to_status, created_at, note, detail FROM order_events WHERE order_id = $1 ORDER BY created_at, id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .filter_map(|e| {
        let status: String = e.try_get("to_status").ok()?;
        Some(OrderEventView {
            status: OrderStatus::parse(&status)?,
            at: Timestamp(e.try_get("created_at").ok()?),
            detail: e
                .try_get::<Option<String>, _>("detail")
                .ok()
                .flatten()
                .and_then(|d| serde_json::from_str(&d).ok()),
            note: e.try_get("note").ok()?,
        })
    })
    .collect();

    let payment_error: Option<String> = if status == OrderStatus::AwaitingPayment {
        sqlx::query_scalar(
            "SELECT last_error FROM payments WHERE order_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?
        .flatten()
    } else {
        None
    };
    let rate: i64 = r.try_get("tax_rate_bp")?;
    let include = r.try_get::<i64, _>("prices_include_tax")? == 1;
    let awaiting = status == OrderStatus::AwaitingPayment;
    Ok(Some(OrderView {
        id: r.try_get("id")?,
        number,
        status,
        email: shown_email(&opener, &r)?,
        placed_at: Timestamp(r.try_get("created_at")?),
        lines,
        subtotal: m(r.try_get("subtotal_minor")?),
        discount: m(r.try_get("discount_minor")?),
        shipping: m(r.try_get("shipping_minor")?),
        tax: m(r.try_get("tax_minor")?),
        total,
        refunded: m(r.try_get("refunded_minor")?),
        prices_include_tax: include,
        tax_label: {
            let name: String = r.try_get("tax_name")?;
            let name = if name.is_empty() {
                "Tax".to_owned()
            } else {
                name
            };
            if rate > 0 {
                format!("{name} {} %", percent_label(rate))
            } else {
                name
            }
        },
        coupon_code: r.try_get("coupon_code")?,
        address: serde_json::from_str(&address).unwrap_or_default(),
        billing: billing.and_then(|b| serde_json::from_str(&b).ok()),
        shipping_name: r.try_get("shipping_name")?,
        payment_method: method,
        payment_error,
        pay_by,
        invoice_number: r.try_get("invoice_number")?,
        carrier: r.try_get("carrier")?,
        tracking_number: r.try_get("tracking_number")?,
        history,
        can_cancel: awaiting,
        can_pay: awaiting && method == PaymentMethod::Card,
        can_request_return: status_rules::allowed(status, OrderStatus::ReturnRequested, method)
            && status_rules::may(
                &status_rules::Actor::Customer,
                status,
                OrderStatus::ReturnRequested,
            ),
        bank_instructions: bank_details
            .filter(|_| awaiting && method == PaymentMethod::BankTransfer)
            .map(|account| shop_types::BankTransfer {
                total,
                account: account.to_owned(),
                order_number: number,
                pay_by,
            }),
        store_name: store_name.to_owned(),
    }))
}

/// Most orders one history page shows.
pub const HISTORY_PAGE: i64 = 20;

/// An account's orders, newest first.
pub async fn history(
    conn: &mut AnyConnection,
    user_id: &str,
    page: i64,
) -> Result<Vec<OrderSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.id, o.number, o.status, o.created_at, o.total_minor, o.currency,
                (SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_lines l WHERE l.order_id = o.id) AS units
         FROM orders o WHERE o.user_id = $1 ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(user_id)
    .bind(HISTORY_PAGE)
    .bind(page.max(0) * HISTORY_PAGE)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            let currency = Currency::parse(&r.try_get::<String, _>("currency")?).map_err(decode)?;
            Ok(OrderSummary {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                status: OrderStatus::parse(&status)
                    .ok_or_else(|| sqlx::Error::Decode(status.into()))?,
                placed_at: Timestamp(r.try_get("created_at")?),
                total: Money::new(r.try_get("total_minor")?, currency),
                units: r.try_get::<i64, _>("units")? as u32,
            })
        })
        .collect()
}
