//! Synthetic order history for benchmarks (`server generate-orders <N>`): orders spread over
//! the last year, in every status, from a few thousand buyers, each with one line of a real
//! catalog variant. Written in batches straight into the tables: it stands in for years of
//! trading, not for checkouts (those have their own benchmark).

use super::order_store;
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use shop_types::{OrderStatus, PaymentMethod, Timestamp};
use sqlx::Row;

const BATCH: usize = 250;

/// Adds `count` orders; `progress` hears how many are done.
pub async fn generate(
    db: &Db,
    count: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<(), sqlx::Error> {
    let store: String = sqlx::query_scalar("SELECT id FROM stores ORDER BY created_at LIMIT 1")
        .fetch_one(db.pool())
        .await?;
    let variants = sqlx::query(
        "SELECT v.id, v.sku, v.title AS variant, v.price_minor, p.slug, p.title, p.currency
         FROM variants v JOIN products p ON p.id = v.product_id ORDER BY v.sku LIMIT 2000",
    )
    .fetch_all(db.pool())
    .await?;
    if variants.is_empty() {
        return Err(sqlx::Error::Protocol("generate products first".into()));
    }
    let statuses = [
        OrderStatus::Delivered,
        OrderStatus::Delivered,
        OrderStatus::Shipped,
        OrderStatus::Paid,
        OrderStatus::Fulfilled,
        OrderStatus::AwaitingPayment,
        OrderStatus::Cancelled,
        OrderStatus::Refunded,
    ];
    let year = 365 * Timestamp::DAY;
    let end = now().millis();
    let mut done = 0;
    while done < count {
        let n = BATCH.min(count - done);
        let mut tx = db.begin_write().await?;
        let first =
            super::numbers::take_many(&mut tx, "order_number", i64::try_from(n).unwrap_or(0), 1001)
                .await?;
        for i in 0..n {
            let seq = done + i;
            let v = &variants[(seq * 7919) % variants.len()];
            let quantity = 1 + i64::try_from(seq % 3).unwrap_or(0);
            let unit: i64 = v.try_get("price_minor")?;
            let subtotal = unit * quantity;
            let shipping = if subtotal > 5000 { 0 } else { 490 };
            let total = subtotal + shipping;
            let tax = total * 19 / 119;
            let status = statuses[seq % statuses.len()];
            let created = end - (i64::try_from(seq).unwrap_or(0) * 7_919_993) % year;
            let paid = !matches!(
                status,
                OrderStatus::AwaitingPayment | OrderStatus::Cancelled
            );
            let id = new_id().to_string();
            let number = first - i64::try_from(n - 1 - i).unwrap_or(0);
            let email = format!("buyer{}@example.com", seq % 5000);
            let currency: String = v.try_get("currency")?;
            let (variant_id, slug, sku, title, variant): (String, String, String, String, String) = (
                v.try_get("id")?,
                v.try_get("slug")?,
                v.try_get("sku")?,
                v.try_get("title")?,
                v.try_get("variant")?,
            );
            let shipped = matches!(
                status,
                OrderStatus::Shipped | OrderStatus::Delivered | OrderStatus::Fulfilled
            );
            let order = order_store::PastOrder {
                id: &id,
                number,
                store_id: &store,
                email: &email,
                status,
                currency: &currency,
                subtotal,
                shipping,
                tax,
                total,
                address: r#"{"full_name":"Erika Mustermann","company":"","line1":"Hauptstraße 5","line2":"","postal_code":"10115","city":"Berlin","region":"","country":"DE","phone":""}"#,
                method: [
                    PaymentMethod::Card,
                    PaymentMethod::BankTransfer,
                    PaymentMethod::CashOnDelivery,
                ][seq % 3],
                refunded: if status == OrderStatus::Refunded {
                    total
                } else {
                    0
                },
                created_at: created,
                paid_at: paid.then_some(created + 60_000),
                line: order_store::NewLine {
                    variant_id: &variant_id,
                    product_slug: &slug,
                    sku: &sku,
                    title: &title,
                    variant_title: &variant,
                    quantity,
                    unit_price: unit,
                    line_total: subtotal,
                },
                fulfilled: if shipped { quantity } else { 0 },
            };
            order_store::insert_past(&mut tx, db.vault(), &order).await?;
        }
        tx.commit().await?;
        done += n;
        progress(done);
    }
    Ok(())
}
