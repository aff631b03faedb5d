//! Writes that create orders: the order row and its lines, in the placing transaction. Checkout
//! decides what the order is (prices, coupon, stock); this module is the only place outside
//! `orders` that knows the columns. Status changes afterwards are `lifecycle`'s, parcels
//! `fulfilment`'s, notes `workbench`'s: all in this folder.

use shop_types::{OrderStatus, PaymentMethod};
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

/// Inserts the order row. A unique violation means the idempotency key was used already.
pub async fn insert(tx: &mut AnyConnection, o: &NewOrder<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO orders (id, number, store_id, user_id, cart_id, email, status, currency,
            subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, prices_include_tax,
            tax_rate_bp, tax_name, address, shipping_name, coupon_id, coupon_code, payment_method, idempotency_key,
            fingerprint, access_hash, pay_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                 $20, $21, $22, $23, $24, $25, $26, $26)",
    )
    .bind(o.id)
    .bind(o.number)
    .bind(o.store_id)
    .bind(o.user_id)
    .bind(o.cart_id)
    .bind(o.email)
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
    .bind(&o.address)
    .bind(o.shipping_name)
    .bind(o.coupon_id)
    .bind(o.coupon_code)
    .bind(o.method.as_str())
    .bind(o.idempotency_key)
    .bind(o.fingerprint)
    .bind(&o.access_hash)
    .bind(o.pay_by)
    .bind(o.at)
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
