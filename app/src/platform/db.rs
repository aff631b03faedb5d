//! The database: one pool, two engines.
//!
//! Repository code is written once against `sqlx::Any` with `$1`-style placeholders, which both
//! SQLite and PostgreSQL accept. Column types are kept to what both engines share: `TEXT`,
//! `BIGINT` (integers, money in minor units, UTC milliseconds) and `DOUBLE PRECISION`.
//! Where an engine needs its own SQL (locking hints), branch on [`Db::engine`] in that one query.
//!
//! Repository functions take the connection or transaction they run on, never this pool, so a
//! caller can put several of them in one transaction.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// A transaction on either engine.
pub type Tx = Transaction<'static, Any>;

/// A write transaction from [`Db::begin_write`]. It derefs to the connection, so statements
/// run on `&mut *tx`; `commit` ends it (dropping it rolls back). On SQLite it also holds this
/// process's write gate until it ends.
pub struct WriteTx {
    // Declared first so the transaction ends before the gate opens.
    tx: Tx,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Commits (and opens the gate).
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    /// Rolls back (and opens the gate).
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// Which database engine a pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// Recognises the engine from a connection URL.
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// The connection pool and the engine behind it.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
    /// SQLite has one writer at a time: writers of this process queue here, in order, instead
    /// of polling the database lock (SQLite's busy handler sleeps in steps of up to 100 ms,
    /// which made slow tails under load).
    write_gate: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Values this installation made once and never changes (`platform::meta`), kept after the
    /// first read so a signed link does not cost a query.
    kept: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
    /// The keys that seal personal data (`platform::vault`), set once by [`Db::unlock`].
    vault: std::sync::Arc<std::sync::OnceLock<super::vault::Vault>>,
    /// Figures that may be a little old (`Db::recent_figure`), with when each was read.
    recent: std::sync::Arc<std::sync::Mutex<RecentFigures>>,
}

type RecentFigures = std::collections::HashMap<&'static str, (std::time::Instant, Option<i64>)>;

/// The database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL {0:?} is neither sqlite: nor postgres://")]
    UnknownEngine(String),
    #[error("could not create the database folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("could not connect to the database: {0}")]
    Connect(#[from] sqlx::Error),
    #[error("could not apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// One set of migrations for both engines: the SQL is written in the subset they share (see
/// `migrations/README.md`), and the test suite applies it to each.
static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

impl Db {
    /// A value [`crate::platform::meta`] read before, if any.
    pub(crate) fn kept(&self, key: &str) -> Option<String> {
        self.kept.lock().ok()?.get(key).cloned()
    }

    /// Remembers a value that never changes once made.
    pub(crate) fn keep(&self, key: &str, value: &str) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.insert(key.to_owned(), value.to_owned());
        }
    }

    /// A figure read by `read` at most `max_age` ago in this process. For statistics that
    /// move slowly and cost a scan to compute (the shop's average order, say): a hot path asks
    /// often, the database answers once per `max_age`. Two callers may both read when it has
    /// expired; the later answer is kept.
    pub async fn recent_figure<F, Fut>(
        &self,
        name: &'static str,
        max_age: Duration,
        read: F,
    ) -> Result<Option<i64>, sqlx::Error>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Option<i64>, sqlx::Error>>,
    {
        let fresh = self.recent.lock().ok().and_then(|figures| {
            figures
                .get(name)
                .filter(|(read_at, _)| read_at.elapsed() < max_age)
                .map(|(_, figure)| *figure)
        });
        if let Some(figure) = fresh {
            return Ok(figure);
        }
        let figure = read().await?;
        if let Ok(mut figures) = self.recent.lock() {
            figures.insert(name, (std::time::Instant::now(), figure));
        }
        Ok(figure)
    }

    /// Opens a pool. SQLite files (and their folder) are created if missing and every SQLite
    /// connection runs in WAL mode with `synchronous=FULL`, foreign keys on and a busy timeout:
    /// a committed order must survive a power cut.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url).ok_or_else(|| DbError::UnknownEngine(url.to_owned()))?;
        let url = match engine {
            Engine::Sqlite => prepare_sqlite_url(url)?,
            Engine::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            // A SQLite connection is a file handle that cannot go stale; pinging it before
            // every use cost a round trip to its worker thread per query batch.
            .test_before_acquire(engine == Engine::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            engine,
            write_gate: Default::default(),
            kept: Default::default(),
            vault: Default::default(),
            recent: Default::default(),
        })
    }

    /// Opens the vault with the master keys in `ring` (after [`Db::migrate`]); every process
    /// does this once at start-up, before it reads or writes personal data.
    pub async fn unlock(
        &self,
        ring: super::vault::KeyRing,
    ) -> Result<(), super::vault::VaultError> {
        let vault = super::vault::Vault::open(self, ring).await?;
        // A second unlock of the same pool keeps the first vault: the keys are the same.
        let _ = self.vault.set(vault);
        Ok(())
    }

    /// The vault that seals personal data.
    ///
    /// # Panics
    /// If [`Db::unlock`] was not called: start-up and the test helpers always call it.
    pub fn vault(&self) -> &super::vault::Vault {
        self.vault
            .get()
            .expect("Db::unlock must run at start-up, before personal data is read")
    }

    /// Applies the pending migrations (`migrations/`).
    pub async fn migrate(&self) -> Result<(), DbError> {
        MIGRATIONS.run(&self.pool).await?;
        Ok(())
    }

    /// The pool, for single statements outside a transaction.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The engine behind the pool.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Starts a transaction that will write. On SQLite it first passes this process's write
    /// gate, then takes the write lock at once (`BEGIN IMMEDIATE`), so writers queue instead of
    /// failing with `SQLITE_BUSY` when a read turns into a write. Never start a second write
    /// transaction while holding one.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => {
                let gate = self.write_gate.clone().lock_owned().await;
                let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx {
                    tx,
                    _gate: Some(gate),
                })
            }
            Engine::Postgres => Ok(WriteTx {
                tx: self.pool.begin().await?,
                _gate: None,
            }),
        }
    }

    /// Checks that the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Closes every connection (at shutdown, so SQLite checkpoints its WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Makes sure the SQLite file's folder exists and that the URL asks to create the file.
fn prepare_sqlite_url(url: &str) -> Result<String, DbError> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:"
        && !path.is_empty()
        && let Some(parent) = std::path::Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbError::Folder(parent.display().to_string(), e))?;
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// True if `err` is a unique-constraint violation (on either engine).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// A value for a [`Conditions`] placeholder.
pub enum Bind {
    Int(i64),
    Text(String),
}

/// A `WHERE` clause made of only the conditions in use (so the planner can pick the index that
/// fits the filter), with `$n` placeholders numbered across them. Lists with optional filters
/// (the console's orders, the audit log) build their statement with it.
#[derive(Default)]
pub struct Conditions {
    clauses: Vec<String>,
    values: Vec<Bind>,
}

impl Conditions {
    /// Adds `clause`, whose `?1`, `?2`, ... are `values` in order.
    pub fn add(&mut self, clause: &str, values: Vec<Bind>) {
        let mut clause = clause.to_owned();
        for (i, v) in values.into_iter().enumerate() {
            self.values.push(v);
            clause = clause.replace(&format!("?{}", i + 1), &format!("${}", self.values.len()));
        }
        self.clauses.push(clause);
    }

    /// `WHERE a AND b`, or nothing when no condition is in use.
    pub fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// Binds the values to `query` (made from a statement that used [`Self::where_sql`]).
    pub fn bind<'q>(
        self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for v in self.values {
            query = match v {
                Bind::Int(i) => query.bind(i),
                Bind::Text(t) => query.bind(t),
            };
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_number_their_placeholders_across_clauses() {
        let mut c = Conditions::default();
        assert_eq!(c.where_sql(), "");
        c.add("status = ?1", vec![Bind::Text("paid".into())]);
        c.add(
            "at >= ?1 AND (at < ?2 OR id < ?3)",
            vec![Bind::Int(1), Bind::Int(1), Bind::Text("x".into())],
        );
        assert_eq!(
            c.where_sql(),
            "WHERE status = $1 AND at >= $2 AND (at < $3 OR id < $4)"
        );
    }

    #[test]
    fn sqlite_urls_are_made_creatable() {
        let dir = std::env::temp_dir().join(format!("shop-db-{}", rand::random::<u64>()));
        let url = format!("sqlite://{}/nested/shop.db", dir.display());
        let prepared = prepare_sqlite_url(&url).unwrap();
        assert!(prepared.ends_with("shop.db?mode=rwc"), "{prepared}");
        assert!(dir.join("nested").is_dir());
        assert_eq!(
            prepare_sqlite_url("sqlite::memory:").unwrap(),
            "sqlite://:memory:?mode=rwc"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn engines_are_recognised() {
        assert_eq!(
            Engine::from_url("sqlite://data/shop.db"),
            Some(Engine::Sqlite)
        );
        assert_eq!(
            Engine::from_url("postgres://localhost/shop"),
            Some(Engine::Postgres)
        );
        assert_eq!(Engine::from_url("mysql://localhost/shop"), None);
    }
}
