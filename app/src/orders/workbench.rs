//! Reads for the staff side of an order page: lines with what is left to send, shipments,
//! internal notes, stock locations.

use super::staff_views::{FulfilmentLine, LocationChoice, NoteView, OrderWorkbench, ShipmentView};
use shop_types::Timestamp;
use sqlx::{AnyConnection, Row};

pub async fn workbench(
    conn: &mut AnyConnection,
    order_id: &str,
) -> Result<OrderWorkbench, sqlx::Error> {
    let lines = sqlx::query(
        "SELECT position, sku, title, variant_title, quantity, fulfilled_quantity FROM order_lines
         WHERE order_id = $1 ORDER BY position",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let title: String = r.try_get("title")?;
        let variant: String = r.try_get("variant_title")?;
        Ok(FulfilmentLine {
            position: r.try_get("position")?,
            sku: r.try_get("sku")?,
            title: if variant.is_empty() {
                title
            } else {
                format!("{title} – {variant}")
            },
            quantity: r.try_get("quantity")?,
            fulfilled: r.try_get("fulfilled_quantity")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let shipment_rows = sqlx::query(
        "SELECT s.id, s.created_at, s.carrier, s.tracking_number, COALESCE(l.name, '') AS location
         FROM shipments s LEFT JOIN stock_locations l ON l.id = s.location_id
         WHERE s.order_id = $1 ORDER BY s.created_at, s.id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut shipments = Vec::new();
    for r in shipment_rows {
        let id: String = r.try_get("id")?;
        let contents = sqlx::query(
            "SELECT sl.quantity, ol.sku FROM shipment_lines sl
             JOIN order_lines ol ON ol.order_id = $2 AND ol.position = sl.position
             WHERE sl.shipment_id = $1 ORDER BY sl.position",
        )
        .bind(&id)
        .bind(order_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|l| {
            Ok(format!(
                "{} × {}",
                l.try_get::<i64, _>("quantity")?,
                l.try_get::<String, _>("sku")?
            ))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?
        .join(", ");
        shipments.push(ShipmentView {
            at: Timestamp(r.try_get("created_at")?),
            location: r.try_get("location")?,
            carrier: r.try_get("carrier")?,
            tracking_number: r.try_get("tracking_number")?,
            contents,
        });
    }
    let notes = sqlx::query(
        "SELECT created_at, author, body FROM order_notes WHERE order_id = $1 ORDER BY created_at, id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(NoteView {
            at: Timestamp(r.try_get("created_at")?),
            author: r.try_get("author")?,
            body: r.try_get("body")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let locations = locations(conn).await?;
    let held: Option<i64> = sqlx::query_scalar("SELECT held FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?;
    // Read here (reads may cross domains); written by `fraud::risk_store`.
    let risk: Option<(i64, String)> =
        sqlx::query_as("SELECT score, reasons FROM order_risk WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(OrderWorkbench {
        lines,
        shipments,
        notes,
        locations,
        held: held == Some(1),
        risk: risk.map(|(score, reasons)| {
            (
                u32::try_from(score).unwrap_or(0),
                serde_json::from_str(&reasons).unwrap_or_default(),
            )
        }),
    })
}

/// Every stock location, in their order.
pub async fn locations(conn: &mut AnyConnection) -> Result<Vec<LocationChoice>, sqlx::Error> {
    sqlx::query("SELECT id, name FROM stock_locations ORDER BY position, name")
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| {
            Ok(LocationChoice {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}

/// Adds an internal note by `who` (also an audit entry).
pub async fn add_note(
    db: &crate::platform::db::Db,
    order_id: &str,
    who: &crate::platform::audit_trail::Who,
    author: &str,
    body: &str,
) -> Result<bool, sqlx::Error> {
    let author_id = who.user_id.as_deref().unwrap_or_default();
    let mut tx = db.begin_write().await?;
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO order_notes (id, order_id, author_id, author, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::platform::ids::new_id().to_string())
    .bind(order_id)
    .bind(author_id)
    .bind(author)
    .bind(body)
    .bind(crate::platform::clock::now().millis())
    .execute(&mut *tx)
    .await?;
    crate::platform::audit_trail::record(
        &mut tx,
        who,
        "order.note_added",
        &format!("order:{order_id}"),
        None,
        Some(serde_json::json!({ "note": body })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
