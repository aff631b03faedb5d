//! Orders as CSV for accounting and spreadsheets: one row per order line, with the order's
//! totals on every row, for the orders the staff list shows with the same filters.

use super::order_list::{OrderFilter, rows};
use crate::platform::export::{ExportError, finish};
use shop_types::Money;
use sqlx::{AnyConnection, Row};

/// Orders fetched per query while writing.
const BATCH: i64 = 1000;

/// The CSV text for every order matching `filter` (all pages).
pub async fn orders_csv(
    conn: &mut AnyConnection,
    vault: &crate::platform::vault::Vault,
    filter: &OrderFilter,
) -> Result<Vec<u8>, ExportError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "Order",
        "Placed at",
        "Status",
        "Email",
        "Payment method",
        "Currency",
        "Subtotal",
        "Discount",
        "Shipping",
        "Tax",
        "Total",
        "Refunded",
        "Coupon",
        "Line SKU",
        "Line title",
        "Line quantity",
        "Line unit price",
        "Line total",
        "Line fulfilled",
    ])?;
    let mut filter = filter.clone();
    loop {
        let page = rows(&mut *conn, vault, &filter, BATCH).await?;
        let Some(last) = page.last() else { break };
        filter.after = Some((last.placed_at.millis(), last.id.clone()));
        for order in &page {
            let o = sqlx::query(
                "SELECT subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, refunded_minor,
                        COALESCE(coupon_code, '') AS coupon FROM orders WHERE id = $1",
            )
            .bind(&order.id)
            .fetch_one(&mut *conn)
            .await?;
            let money = |col: &str| -> Result<String, sqlx::Error> {
                Ok(Money::new(o.try_get(col)?, order.total.currency).to_decimal_string())
            };
            let head = [
                order.number.to_string(),
                order.placed_at.to_rfc3339(),
                order.status.as_str().to_owned(),
                order.email.clone(),
                order.payment_method.as_str().to_owned(),
                order.total.currency.code().to_owned(),
                money("subtotal_minor")?,
                money("discount_minor")?,
                money("shipping_minor")?,
                money("tax_minor")?,
                money("total_minor")?,
                money("refunded_minor")?,
                o.try_get::<String, _>("coupon")?,
            ];
            let lines = sqlx::query(
                "SELECT sku, title, variant_title, quantity, unit_price_minor, line_total_minor, fulfilled_quantity
                 FROM order_lines WHERE order_id = $1 ORDER BY position",
            )
            .bind(&order.id)
            .fetch_all(&mut *conn)
            .await?;
            for l in lines {
                let title: String = l.try_get("title")?;
                let variant: String = l.try_get("variant_title")?;
                let currency = order.total.currency;
                let mut record: Vec<String> = head.to_vec();
                record.extend([
                    l.try_get::<String, _>("sku")?,
                    if variant.is_empty() {
                        title
                    } else {
                        format!("{title} - {variant}")
                    },
                    l.try_get::<i64, _>("quantity")?.to_string(),
                    Money::new(l.try_get("unit_price_minor")?, currency).to_decimal_string(),
                    Money::new(l.try_get("line_total_minor")?, currency).to_decimal_string(),
                    l.try_get::<i64, _>("fulfilled_quantity")?.to_string(),
                ]);
                crate::platform::export::write_row(&mut out, &record)?;
            }
        }
        if i64::try_from(page.len()).unwrap_or(0) < BATCH {
            break;
        }
    }
    finish(out)
}
