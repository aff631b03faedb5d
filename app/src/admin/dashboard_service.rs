//! The dashboard's figures, computed in SQL over the paid orders and recorded events of the
//! chosen range and the range before it. Revenue is what paid orders brought in, minus what
//! was refunded, in the store's currency.

use super::views::{Compared, DashboardView, LowStock, Point, Range, TopProduct};
use crate::analytics::funnel;
use crate::store::DEFAULT_STORE_CODE;
use crate::store::queries::current as store_terms;
use shop_types::{Currency, Money, Timestamp};
use sqlx::{AnyConnection, Row};

/// The window a range covers, ending with the bucket that holds `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub bucket: i64,
    pub buckets: i64,
    /// Start of the previous period; the current one starts at `start`.
    pub previous_start: i64,
    pub start: i64,
    pub end: i64,
}

impl Window {
    pub fn of(range: Range, now: Timestamp) -> Self {
        let (bucket, buckets) = range.buckets();
        let end = (now.millis().div_euclid(bucket) + 1) * bucket;
        let start = end - bucket * buckets;
        Self {
            bucket,
            buckets,
            previous_start: start - bucket * buckets,
            start,
            end,
        }
    }
}

/// Everything the dashboard shows for `range`, as of `now`.
pub async fn dashboard(
    conn: &mut AnyConnection,
    range: Range,
    now: Timestamp,
) -> Result<DashboardView, sqlx::Error> {
    let terms = store_terms(&mut *conn).await?;
    let currency = terms.currency;
    let w = Window::of(range, now);

    let rows = sqlx::query(
        "SELECT (created_at - $1) / $2 AS bucket, COUNT(*) AS orders,
                CAST(COALESCE(SUM(total_minor - refunded_minor), 0) AS BIGINT) AS revenue
         FROM orders
         WHERE paid_at IS NOT NULL AND created_at >= $1 AND created_at < $3 AND currency = $4
         GROUP BY 1",
    )
    .bind(w.previous_start)
    .bind(w.bucket)
    .bind(w.end)
    .bind(currency.code())
    .fetch_all(&mut *conn)
    .await?;
    let n = usize::try_from(w.buckets).unwrap_or(0);
    let mut revenue = vec![0i64; 2 * n];
    let mut orders = vec![0i64; 2 * n];
    for row in rows {
        let bucket: i64 = row.try_get("bucket")?;
        if let Ok(i) = usize::try_from(bucket)
            && i < 2 * n
        {
            revenue[i] = row.try_get("revenue")?;
            orders[i] = row.try_get("orders")?;
        }
    }
    let points = (0..n)
        .map(|i| {
            let at = Timestamp(w.start + w.bucket * i64::try_from(i).unwrap_or(0)).to_rfc3339();
            let label = match range {
                Range::Day => at.get(11..16),
                _ => at.get(5..10),
            }
            .unwrap_or_default()
            .to_owned();
            Point {
                label,
                revenue_minor: revenue[n + i],
                previous_minor: revenue[i],
                orders: orders[n + i],
            }
        })
        .collect();
    let sum = |v: &[i64]| v.iter().sum::<i64>();
    let revenue_now = sum(&revenue[n..]);
    let revenue_before = sum(&revenue[..n]);
    let orders_now = sum(&orders[n..]);
    let orders_before = sum(&orders[..n]);
    let average =
        |rev: i64, count: i64| Money::new(if count == 0 { 0 } else { rev / count }, currency);

    let funnel_now = funnel::funnel(&mut *conn, w.start, w.end).await?;
    let funnel_before = funnel::funnel(&mut *conn, w.previous_start, w.start).await?;
    let conversion = |steps: &[crate::analytics::FunnelStep]| {
        steps
            .iter()
            .find(|s| s.kind == crate::analytics::EventKind::Purchase)
            .and_then(|s| s.share_bp)
            .unwrap_or(0)
    };

    let threshold: i64 =
        sqlx::query_scalar("SELECT low_stock_threshold FROM stores WHERE code = $1")
            .bind(DEFAULT_STORE_CODE)
            .fetch_one(&mut *conn)
            .await?;

    Ok(DashboardView {
        range,
        revenue: Compared {
            now: Money::new(revenue_now, currency),
            before: Money::new(revenue_before, currency),
        },
        orders: Compared {
            now: orders_now,
            before: orders_before,
        },
        average_order: Compared {
            now: average(revenue_now, orders_now),
            before: average(revenue_before, orders_before),
        },
        conversion_bp: Compared {
            now: conversion(&funnel_now),
            before: conversion(&funnel_before),
        },
        returning_bp: Compared {
            now: returning_share(&mut *conn, w.start, w.end).await?,
            before: returning_share(&mut *conn, w.previous_start, w.start).await?,
        },
        points,
        top_products: top_products(&mut *conn, w.start, w.end, currency).await?,
        low_stock: low_stock(&mut *conn, threshold).await?,
        low_stock_threshold: threshold,
        funnel: funnel_now,
        zero_result_searches: funnel::zero_result_searches(&mut *conn, w.start, w.end, 10).await?,
    })
}

/// Buyers between `from` and `to` who had a paid order before `from`, in basis points.
async fn returning_share(conn: &mut AnyConnection, from: i64, to: i64) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(DISTINCT o.email_index) AS buyers,
                COUNT(DISTINCT CASE WHEN EXISTS (
                    SELECT 1 FROM orders p
                    WHERE p.email_index = o.email_index AND p.paid_at IS NOT NULL AND p.created_at < $1
                ) THEN o.email_index END) AS returners
         FROM orders o
         WHERE o.paid_at IS NOT NULL AND o.created_at >= $1 AND o.created_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await?;
    let buyers: i64 = row.try_get("buyers")?;
    let returning: i64 = row.try_get("returners")?;
    Ok(if buyers == 0 {
        0
    } else {
        returning * 10_000 / buyers
    })
}

async fn top_products(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    currency: Currency,
) -> Result<Vec<TopProduct>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.product_slug, MIN(l.title) AS title,
                CAST(SUM(l.quantity) AS BIGINT) AS units,
                CAST(SUM(l.line_total_minor) AS BIGINT) AS revenue
         FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE o.paid_at IS NOT NULL AND o.created_at >= $1 AND o.created_at < $2
           AND o.currency = $3
         GROUP BY l.product_slug ORDER BY units DESC, revenue DESC LIMIT 5",
    )
    .bind(from)
    .bind(to)
    .bind(currency.code())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TopProduct {
                title: r.try_get("title")?,
                slug: r.try_get("product_slug")?,
                units: r.try_get("units")?,
                revenue: Money::new(r.try_get("revenue")?, currency),
            })
        })
        .collect()
}

async fn low_stock(conn: &mut AnyConnection, threshold: i64) -> Result<Vec<LowStock>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.title, v.title AS variant_title, v.sku, v.stock
         FROM variants v JOIN products p ON p.id = v.product_id
         WHERE v.stock <= $1 AND p.status = 'active'
         ORDER BY v.stock, p.title, v.sku LIMIT 10",
    )
    .bind(threshold)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LowStock {
                product_id: r.try_get("id")?,
                title: r.try_get("title")?,
                variant_title: r.try_get("variant_title")?,
                sku: r.try_get("sku")?,
                stock: r.try_get("stock")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_ends_with_the_bucket_holding_now() {
        let now = Timestamp(10 * 86_400_000 + 5_000);
        let w = Window::of(Range::Week, now);
        assert_eq!(w.end, 11 * 86_400_000);
        assert_eq!(w.start, 4 * 86_400_000);
        assert_eq!(w.previous_start, -3 * 86_400_000);
        assert!(w.start <= now.millis() && now.millis() < w.end);
    }
}
