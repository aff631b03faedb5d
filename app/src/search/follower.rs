//! Keeps an instance's index in step with the database.
//!
//! Writers bump `products.updated_at` whenever something the index holds changes (the product,
//! its variants, stock crossing zero, images, collections); the follower reads the products
//! changed since its watermark, in `(updated_at, id)` order, and replaces their documents. It
//! re-reads an overlap of [`OVERLAP_MS`] so a transaction that committed late with an earlier
//! timestamp is not missed; ids already indexed at that timestamp are skipped. Each instance
//! runs one; a write on this instance wakes it at once, others see it within a poll.

use super::documents::{self, IndexedProduct};
use super::index::{SearchError, SearchIndex};
use super::suggest_service::CategoryEntry;
use super::synonyms::{self, Synonyms};
use crate::platform::db::Db;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Notify;

/// How far back each pass re-reads.
pub const OVERLAP_MS: i64 = 60_000;
/// Products read and indexed per commit.
const BATCH: i64 = 1000;

/// The index and the means to wake its follower, as the rest of the app holds it.
#[derive(Clone, Debug)]
pub struct Search {
    pub index: Arc<SearchIndex>,
    wake: Arc<Notify>,
}

impl Search {
    pub fn new(index: Arc<SearchIndex>) -> Self {
        Self {
            index,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Asks the follower to look for changes now (call after committing a catalog change).
    pub fn changed(&self) {
        self.wake.notify_one();
    }

    /// Waits for a wake-up or `interval`, whichever is first.
    pub async fn wait(&self, interval: std::time::Duration) {
        let _ = tokio::time::timeout(interval, self.wake.notified()).await;
    }
}

/// What one instance has indexed inside the overlap window: id → updated_at.
#[derive(Debug, Default)]
pub struct Follower {
    seen: HashMap<String, i64>,
}

impl Follower {
    /// Indexes every product changed since the watermark; `progress(done, total)` is called
    /// after each batch. Also reloads synonyms and categories. Returns products looked at.
    pub async fn sync(
        &mut self,
        db: &Db,
        index: &Arc<SearchIndex>,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> Result<u64, SearchError> {
        let mut conn = db.pool().acquire().await?;
        reload_vocabulary(&mut conn, index).await?;
        let watermark = index.watermark();
        let since = if watermark == 0 {
            i64::MIN
        } else {
            watermark - OVERLAP_MS
        };
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE updated_at >= $1")
            .bind(since)
            .fetch_one(&mut *conn)
            .await?;
        let categories = documents::category_map(&mut conn).await?;
        let mut after: (i64, String) = (since, String::new());
        let mut done: u64 = 0;
        loop {
            let rows = sqlx::query(
                "SELECT id, updated_at FROM products
                 WHERE updated_at > $1 OR (updated_at = $1 AND id > $2)
                 ORDER BY updated_at, id LIMIT $3",
            )
            .bind(after.0)
            .bind(&after.1)
            .bind(BATCH)
            .fetch_all(&mut *conn)
            .await?;
            if rows.is_empty() {
                break;
            }
            let mut changed: Vec<(String, i64)> = Vec::new();
            for row in &rows {
                let id: String = row.try_get("id")?;
                let at: i64 = row.try_get("updated_at")?;
                after = (at, id.clone());
                if self.seen.get(&id) != Some(&at) {
                    changed.push((id, at));
                }
            }
            done += rows.len() as u64;
            if !changed.is_empty() {
                let ids: Vec<String> = changed.iter().map(|(id, _)| id.clone()).collect();
                let upserts = documents::load(&mut conn, &ids, &categories).await?;
                let removals = removed(&ids, &upserts);
                let index = Arc::clone(index);
                let high = after.0;
                tokio::task::spawn_blocking(move || index.apply(&upserts, &removals, high))
                    .await
                    .map_err(|e| {
                        SearchError::Index(tantivy::TantivyError::InternalError(e.to_string()))
                    })??;
                self.seen.extend(changed);
            }
            progress(done, total.max(0) as u64);
        }
        let keep_from = index.watermark() - OVERLAP_MS;
        self.seen.retain(|_, at| *at >= keep_from);
        Ok(done)
    }
}

fn removed(ids: &[String], upserts: &[IndexedProduct]) -> Vec<String> {
    ids.iter()
        .filter(|id| !upserts.iter().any(|p| &p.id == *id))
        .cloned()
        .collect()
}

/// Reloads what queries use besides the index: synonyms and category names.
async fn reload_vocabulary(
    conn: &mut sqlx::AnyConnection,
    index: &SearchIndex,
) -> Result<(), SearchError> {
    let groups = synonyms::list(conn).await?;
    let built = Synonyms::from_groups(groups.iter().map(|(_, terms)| terms.as_str()));
    if let Ok(mut s) = index.synonyms.write()
        && *s != built
    {
        *s = built;
        // Search pages kept by the page cache were answered with the old synonyms.
        index.bump_generation();
    }
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT slug, name FROM categories ORDER BY parent_id IS NOT NULL, position, name",
    )
    .fetch_all(conn)
    .await?;
    let entries = rows
        .into_iter()
        .map(|(slug, name)| CategoryEntry {
            words: synonyms::words(&name),
            slug,
            name,
        })
        .collect();
    if let Ok(mut c) = index.categories.write() {
        *c = entries;
    }
    Ok(())
}

/// The random id of this database's catalog, made on first use (`app_meta`), which an index
/// records so it can tell it was built from another database.
pub async fn catalog_id(db: &Db) -> Result<String, SearchError> {
    Ok(crate::platform::meta::get_or_create(db, "catalog_id", || {
        crate::platform::ids::new_id().to_string()
    })
    .await?)
}

/// Opens the index in `dir` for the database `db` (emptied if it was built from another).
pub async fn open_for(db: &Db, dir: std::path::PathBuf) -> Result<Arc<SearchIndex>, SearchError> {
    let catalog = catalog_id(db).await?;
    let index = tokio::task::spawn_blocking(move || -> Result<SearchIndex, SearchError> {
        let index = SearchIndex::open(&dir)?;
        if index.attach(&catalog)? {
            tracing::warn!("the search index was built from another database; rebuilding it");
        }
        Ok(index)
    })
    .await
    .map_err(|e| SearchError::Index(tantivy::TantivyError::InternalError(e.to_string())))??;
    Ok(Arc::new(index))
}

/// Empties the index and indexes the whole catalog again.
pub async fn rebuild(
    db: &Db,
    index: &Arc<SearchIndex>,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<u64, SearchError> {
    let cleared = Arc::clone(index);
    tokio::task::spawn_blocking(move || cleared.clear())
        .await
        .map_err(|e| SearchError::Index(tantivy::TantivyError::InternalError(e.to_string())))??;
    Follower::default().sync(db, index, progress).await
}

/// Follows the database until `stop` turns true: a pass at start, then one per `interval` or
/// whenever [`Search::changed`] is called. Errors are logged and retried on the next pass.
pub async fn run(
    db: Db,
    search: Search,
    interval: std::time::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut follower = Follower::default();
    loop {
        match follower.sync(&db, &search.index, &mut |_, _| {}).await {
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "search index: catching up failed; retrying"),
        }
        tokio::select! {
            _ = search.wait(interval) => {}
            _ = stop.wait_for(|s| *s) => break,
        }
    }
}
