//! Reads of stock for the console.

use super::views::{Level, Movement, StockItem, StockPage, StockRow};
use shop_types::Timestamp;
use sqlx::{AnyConnection, Row};

const PER_PAGE: i64 = 50;

/// A page of variants ordered by SKU.
pub async fn page(
    conn: &mut AnyConnection,
    q: Option<&str>,
    low: Option<i64>,
    after: &str,
) -> Result<StockPage, sqlx::Error> {
    let mut sql = String::from(
        "SELECT v.id, v.product_id, p.title, v.title AS variant, v.sku, v.stock FROM variants v
         JOIN products p ON p.id = v.product_id WHERE v.sku > $1",
    );
    if q.is_some() {
        sql.push_str(" AND ((v.sku >= $2 AND v.sku < $3) OR LOWER(p.title) LIKE $4)");
    }
    if low.is_some() {
        sql.push_str(if q.is_some() {
            " AND v.stock <= $5"
        } else {
            " AND v.stock <= $2"
        });
    }
    sql.push_str(&format!(" ORDER BY v.sku LIMIT {}", PER_PAGE + 1));
    let mut query = sqlx::query(&sql).bind(after);
    if let Some(q) = q {
        let like = format!("%{}%", q.to_lowercase().replace(['%', '_', '\\'], ""));
        query = query.bind(q).bind(format!("{q}\u{10ffff}")).bind(like);
    }
    if let Some(low) = low {
        query = query.bind(low);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut out = Vec::new();
    for r in rows.iter().take(usize::try_from(PER_PAGE).unwrap_or(50)) {
        out.push(row(conn, r).await?);
    }
    let next =
        (rows.len() > out.len()).then(|| out.last().map(|r| r.sku.clone()).unwrap_or_default());
    Ok(StockPage { rows: out, next })
}

async fn row(conn: &mut AnyConnection, r: &sqlx::any::AnyRow) -> Result<StockRow, sqlx::Error> {
    let variant_id: String = r.try_get("id")?;
    let levels = sqlx::query(
        "SELECT s.location_id, l.name, s.on_hand FROM stock_levels s JOIN stock_locations l ON l.id = s.location_id
         WHERE s.variant_id = $1 ORDER BY l.position, l.name",
    )
    .bind(&variant_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|l| Ok(Level { location_id: l.try_get("location_id")?, location: l.try_get("name")?, on_hand: l.try_get("on_hand")? }))
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(StockRow {
        variant_id,
        product_id: r.try_get("product_id")?,
        title: r.try_get("title")?,
        variant: r.try_get("variant")?,
        sku: r.try_get("sku")?,
        sellable: r.try_get("stock")?,
        levels,
    })
}

/// One variant with every location and its latest 200 changes.
pub async fn item(
    conn: &mut AnyConnection,
    variant_id: &str,
) -> Result<Option<StockItem>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT v.id, v.product_id, p.title, v.title AS variant, v.sku, v.stock FROM variants v
         JOIN products p ON p.id = v.product_id WHERE v.id = $1",
    )
    .bind(variant_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = r else { return Ok(None) };
    let row = row(conn, &r).await?;
    let locations = sqlx::query("SELECT id, name FROM stock_locations ORDER BY position, name")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|l| {
            let id: String = l.try_get("id")?;
            let on_hand = row
                .levels
                .iter()
                .find(|x| x.location_id == id)
                .map_or(0, |x| x.on_hand);
            Ok(Level {
                location_id: id,
                location: l.try_get("name")?,
                on_hand,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let movements = sqlx::query(
        "SELECT m.created_at, m.delta, m.reason, COALESCE(l.name, '') AS location, m.note, m.actor, m.order_id
         FROM stock_movements m LEFT JOIN stock_locations l ON l.id = m.location_id
         WHERE m.variant_id = $1 ORDER BY m.created_at DESC, m.id DESC LIMIT 200",
    )
    .bind(variant_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|m| {
        Ok(Movement {
            at: Timestamp(m.try_get("created_at")?),
            delta: m.try_get("delta")?,
            reason: m.try_get("reason")?,
            location: m.try_get("location")?,
            note: m.try_get("note")?,
            actor: m.try_get("actor")?,
            order_id: m.try_get("order_id")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(StockItem {
        row,
        locations,
        movements,
    }))
}
