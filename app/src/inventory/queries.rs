//! Reads of stock for the console and for a seller's dashboard (narrowed to its products).

use super::views::{Level, Movement, StockItem, StockPage, StockRow};
use shop_types::Timestamp;
use sqlx::{AnyConnection, Row};

const PER_PAGE: i64 = 50;

/// A page of variants ordered by SKU; with `seller`, only that seller's (and its locations
/// named as the seller named them).
pub async fn page(
    conn: &mut AnyConnection,
    q: Option<&str>,
    low: Option<i64>,
    after: &str,
    seller: Option<&str>,
) -> Result<StockPage, sqlx::Error> {
    let mut sql = String::from(
        "SELECT v.id, v.product_id, p.title, v.title AS variant, v.sku, v.stock FROM variants v
         JOIN products p ON p.id = v.product_id WHERE v.sku > $1",
    );
    let mut binds: Vec<Bind> = vec![Bind::Text(after.to_owned())];
    let param = |b: Bind, binds: &mut Vec<Bind>| {
        binds.push(b);
        format!("${}", binds.len())
    };
    if let Some(q) = q {
        let like = format!("%{}%", q.to_lowercase().replace(['%', '_', '\\'], ""));
        let from = param(Bind::Text(q.to_owned()), &mut binds);
        let to = param(Bind::Text(format!("{q}\u{10ffff}")), &mut binds);
        let like = param(Bind::Text(like), &mut binds);
        sql.push_str(&format!(
            " AND ((v.sku >= {from} AND v.sku < {to}) OR LOWER(p.title) LIKE {like})"
        ));
    }
    if let Some(low) = low {
        let p = param(Bind::Int(low), &mut binds);
        sql.push_str(&format!(" AND v.stock <= {p}"));
    }
    if let Some(seller) = seller {
        let p = param(Bind::Text(seller.to_owned()), &mut binds);
        sql.push_str(&format!(" AND p.vendor_id = {p}"));
    }
    sql.push_str(&format!(" ORDER BY v.sku LIMIT {}", PER_PAGE + 1));
    let mut query = sqlx::query(&sql);
    for b in binds {
        query = match b {
            Bind::Text(t) => query.bind(t),
            Bind::Int(i) => query.bind(i),
        };
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut out = Vec::new();
    for r in rows.iter().take(usize::try_from(PER_PAGE).unwrap_or(50)) {
        out.push(row(conn, r, seller.is_some()).await?);
    }
    let next =
        (rows.len() > out.len()).then(|| out.last().map(|r| r.sku.clone()).unwrap_or_default());
    Ok(StockPage { rows: out, next })
}

enum Bind {
    Text(String),
    Int(i64),
}

/// How a location is called: by the seller's own name for it on the seller's pages, by its
/// full name (which names the seller) on the operator's.
fn location_name(for_seller: bool) -> &'static str {
    if for_seller {
        "COALESCE(l.label, l.name)"
    } else {
        "l.name"
    }
}

async fn row(
    conn: &mut AnyConnection,
    r: &sqlx::any::AnyRow,
    for_seller: bool,
) -> Result<StockRow, sqlx::Error> {
    let variant_id: String = r.try_get("id")?;
    let levels = sqlx::query(&format!(
        "SELECT s.location_id, {name} AS name, s.on_hand FROM stock_levels s JOIN stock_locations l ON l.id = s.location_id
         WHERE s.variant_id = $1 ORDER BY l.position, l.name",
        name = location_name(for_seller)
    ))
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

/// One variant with every location its stock may be kept at (its seller's, or the
/// operator's) and its latest 200 changes. With `seller`, None unless the variant is that
/// seller's.
pub async fn item(
    conn: &mut AnyConnection,
    variant_id: &str,
    seller: Option<&str>,
) -> Result<Option<StockItem>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT v.id, v.product_id, p.title, v.title AS variant, v.sku, v.stock, p.vendor_id FROM variants v
         JOIN products p ON p.id = v.product_id WHERE v.id = $1",
    )
    .bind(variant_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = r else { return Ok(None) };
    let owner: Option<String> = r.try_get("vendor_id")?;
    if seller.is_some() && owner.as_deref() != seller {
        return Ok(None);
    }
    let for_seller = seller.is_some();
    let row = row(conn, &r, for_seller).await?;
    let locations = sqlx::query(&format!(
        "SELECT l.id, {name} AS name FROM stock_locations l
         WHERE COALESCE(l.vendor_id, '') = $1 ORDER BY l.position, l.name",
        name = location_name(for_seller)
    ))
    .bind(owner.unwrap_or_default())
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
        &format!("SELECT m.created_at, m.delta, m.reason, COALESCE({name}, '') AS location, m.note, m.actor, m.order_id
         FROM stock_movements m LEFT JOIN stock_locations l ON l.id = m.location_id
         WHERE m.variant_id = $1 ORDER BY m.created_at DESC, m.id DESC LIMIT 200",
        name = location_name(for_seller)),
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
