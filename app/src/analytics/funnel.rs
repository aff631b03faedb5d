//! Reads of the recorded events for the console: the funnel and the searches that found
//! nothing.

use super::{EventKind, FunnelStep, SearchTermCount};
use sqlx::{AnyConnection, Row};

/// Each step's count between `from` and `to` (milliseconds, `to` exclusive). Views and
/// searches count events; the cart steps count distinct carts, and carry their share of the
/// carts that had something added.
pub async fn funnel(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> Result<Vec<FunnelStep>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT kind, CAST(COALESCE(SUM(count), 0) AS BIGINT) AS events, COUNT(DISTINCT subject) AS carts
         FROM analytics_events WHERE created_at >= $1 AND created_at < $2 GROUP BY kind",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut events = std::collections::HashMap::new();
    for row in rows {
        let kind: String = row.try_get("kind")?;
        if let Some(kind) = EventKind::parse(&kind) {
            let total: i64 = row.try_get("events")?;
            let carts: i64 = row.try_get("carts")?;
            events.insert(kind, (total, carts));
        }
    }
    let count_of = |kind: EventKind| {
        let (total, carts) = events.get(&kind).copied().unwrap_or((0, 0));
        match kind {
            EventKind::ProductView | EventKind::Search => total,
            _ => carts,
        }
    };
    let carts = count_of(EventKind::AddToCart);
    Ok(EventKind::ALL
        .into_iter()
        .map(|kind| {
            let count = count_of(kind);
            let share_bp = match kind {
                EventKind::ProductView | EventKind::Search => None,
                _ if carts == 0 => Some(0),
                _ => Some(count * 10_000 / carts),
            };
            FunnelStep {
                kind,
                count,
                share_bp,
            }
        })
        .collect())
}

/// The most frequent searches that found nothing.
pub async fn zero_result_searches(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    limit: i64,
) -> Result<Vec<SearchTermCount>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT search_terms, CAST(SUM(count) AS BIGINT) AS n FROM analytics_events
         WHERE kind = 'search' AND result_count = 0 AND created_at >= $1 AND created_at < $2
         GROUP BY search_terms ORDER BY n DESC, search_terms LIMIT $3",
    )
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SearchTermCount {
                terms: r
                    .try_get::<Option<String>, _>("search_terms")?
                    .unwrap_or_default(),
                count: r.try_get("n")?,
            })
        })
        .collect()
}
