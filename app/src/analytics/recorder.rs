//! Buffers events in memory and writes them in batches, so recording costs a request one
//! mutex push instead of a database write. Identical events within a batch are stored once
//! with their count. The page cache replays the events of the render it kept
//! ([`EventCapture`]), so a page served from the cache still counts as a view.

use super::EventKind;
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use crate::platform::state::AppState;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Longest search text kept.
const MAX_TERMS: usize = 100;
/// Events kept in memory between flushes; beyond it events are dropped (and counted in logs),
/// so a flood of requests cannot grow memory without bound.
const MAX_BUFFERED: usize = 100_000;

/// One thing a shopper did.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Event {
    pub kind: EventKind,
    pub subject: Option<String>,
    pub product_id: Option<String>,
    pub search_terms: Option<String>,
    pub result_count: Option<i64>,
    pub value_minor: Option<i64>,
}

impl Event {
    fn bare(kind: EventKind) -> Self {
        Self {
            kind,
            subject: None,
            product_id: None,
            search_terms: None,
            result_count: None,
            value_minor: None,
        }
    }

    /// A product page was shown.
    pub fn product_view(product_id: &str) -> Self {
        Self {
            product_id: Some(product_id.to_owned()),
            ..Self::bare(EventKind::ProductView)
        }
    }

    /// A search for `terms` found `results` products.
    pub fn search(terms: &str, results: u64) -> Self {
        let terms: String = terms
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .chars()
            .take(MAX_TERMS)
            .collect();
        Self {
            search_terms: Some(terms),
            result_count: Some(i64::try_from(results).unwrap_or(i64::MAX)),
            ..Self::bare(EventKind::Search)
        }
    }

    /// A step that belongs to a cart (add to cart, checkout steps, purchase).
    pub fn for_cart(kind: EventKind, cart_id: &str) -> Self {
        Self {
            subject: Some(subject_of(cart_id)),
            ..Self::bare(kind)
        }
    }

    /// With the product it concerns.
    pub fn product(mut self, product_id: &str) -> Self {
        self.product_id = Some(product_id.to_owned());
        self
    }

    /// With the money it concerns (a purchase's total).
    pub fn value(mut self, minor: i64) -> Self {
        self.value_minor = Some(minor);
        self
    }
}

/// A cart as events name it: a hash, so the events table does not point at a cart (or through
/// it at an account) by itself.
pub fn subject_of(cart_id: &str) -> String {
    let digest = Sha256::digest(format!("analytics:{cart_id}").as_bytes());
    hex::encode(&digest[..8])
}

/// The buffer every request records into.
#[derive(Clone, Debug, Default)]
pub struct Analytics {
    buffer: Arc<Mutex<Vec<Event>>>,
}

impl Analytics {
    /// Keeps an event for the next flush.
    pub fn record(&self, event: Event) {
        if let Ok(mut buffer) = self.buffer.lock() {
            if buffer.len() < MAX_BUFFERED {
                buffer.push(event);
            } else {
                tracing::warn!("analytics buffer full; event dropped");
            }
        }
    }

    /// Writes what was recorded since the last flush in one transaction; returns the number
    /// of rows written. Events that cannot be written are logged and dropped: analytics must
    /// never hold up selling.
    pub async fn flush(&self, db: &Db) -> Result<usize, sqlx::Error> {
        let events = match self.buffer.lock() {
            Ok(mut buffer) => std::mem::take(&mut *buffer),
            Err(_) => return Ok(0),
        };
        if events.is_empty() {
            return Ok(0);
        }
        let mut counted: HashMap<Event, i64> = HashMap::new();
        for event in events {
            *counted.entry(event).or_default() += 1;
        }
        let at = now().millis();
        let rows: Vec<(Event, i64)> = counted.into_iter().collect();
        let mut tx = db.begin_write().await?;
        // Several rows per statement; 8 values per row keeps well under every engine's limit.
        for chunk in rows.chunks(100) {
            let mut sql = String::from(
                "INSERT INTO analytics_events (id, kind, subject, product_id, search_terms, result_count, value_minor, count, created_at) VALUES ",
            );
            for (i, _) in chunk.iter().enumerate() {
                let b = i * 8;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, {at})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8
                ));
            }
            let mut query = sqlx::query(&sql);
            for (event, count) in chunk {
                query = query
                    .bind(new_id().to_string())
                    .bind(event.kind.as_str())
                    .bind(event.subject.clone())
                    .bind(event.product_id.clone())
                    .bind(event.search_terms.clone())
                    .bind(event.result_count)
                    .bind(event.value_minor)
                    .bind(*count);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }
}

/// Events recorded while rendering one request, so the page cache can replay them when it
/// serves the kept page again. The cache puts it in the request's extensions.
#[derive(Clone, Debug, Default)]
pub struct EventCapture(pub Arc<Mutex<Vec<Event>>>);

impl EventCapture {
    /// What the render recorded.
    pub fn events(&self) -> Vec<Event> {
        self.0.lock().map(|e| e.clone()).unwrap_or_default()
    }
}

/// Records an event, and notes it for the page cache if the current request is a cacheable
/// page.
pub fn record_here(state: &AppState, event: Event) {
    if let Some(capture) = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<EventCapture>().cloned())
        && let Ok(mut captured) = capture.0.lock()
    {
        captured.push(event.clone());
    }
    state
        .part::<crate::analytics::recorder::Analytics>()
        .record(event);
}

/// Flushes every second until `stop`, then once more.
pub async fn run(db: Db, analytics: Analytics, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.wait_for(|s| *s) => break,
        }
        if let Err(e) = analytics.flush(&db).await {
            tracing::warn!(error = %e, "analytics: flush failed");
        }
    }
    if let Err(e) = analytics.flush(&db).await {
        tracing::warn!(error = %e, "analytics: last flush failed");
    }
}

/// Deletes events recorded before `before` (their retention period); how many went.
pub async fn prune(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM analytics_events WHERE created_at < $1")
            .bind(before)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_are_normalised_and_bounded() {
        let e = Event::search("  Black   SNEAKERS ", 0);
        assert_eq!(e.search_terms.as_deref(), Some("black sneakers"));
        let long = Event::search(&"x".repeat(500), 3);
        assert_eq!(long.search_terms.map(|t| t.len()), Some(MAX_TERMS));
    }

    #[test]
    fn a_cart_subject_is_stable_and_not_the_cart_id() {
        let a = subject_of("CART1");
        assert_eq!(a, subject_of("CART1"));
        assert_ne!(a, subject_of("CART2"));
        assert!(!a.contains("CART1"));
        assert_eq!(a.len(), 16);
    }
}
