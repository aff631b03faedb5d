//! Building and running the application.

use crate::routes::router;
use crate::telemetry::metrics_handle;
use app::assembly::seed;
use app::email::delivery::Mailer;
use app::platform::config::Config;
use app::platform::db::{Db, DbError};
use app::platform::jobs::{JobRegistry, JobRunner, JobWaker};
use app::platform::state::AppState;
use app::search::follower::{Follower, Search};
use app::search::index::SearchError;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Start-up failed; the message says which part and why.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Database(DbError),
    #[error("could not prepare the store's initial data: {0}")]
    Seed(seed::SeedError),
    #[error("{0}")]
    Mail(app::email::delivery::MailerError),
    #[error("could not listen on {0} (setting SHOP_ADDR): {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("{0} (setting SHOP_DATA_DIR)")]
    Search(#[from] SearchError),
    #[error("personal data keys: {0}")]
    Vault(String),
}

/// Up to this many products waiting to be indexed are indexed before the first request;
/// more (a new instance on a large catalog) are indexed in the background while it serves.
const INDEX_BEFORE_START: i64 = 20_000;

/// Opens this instance's search index and brings it up to date with the catalog, or leaves
/// that to the follower when the backlog is large.
pub async fn open_search(db: &Db, config: &Config) -> Result<Search, SearchError> {
    let index = app::search::follower::open_for(db, config.search_dir()).await?;
    let search = Search::new(index);
    let since = search.index.watermark() - app::search::follower::OVERLAP_MS;
    let backlog: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE updated_at >= $1")
        .bind(since)
        .fetch_one(db.pool())
        .await?;
    if backlog <= INDEX_BEFORE_START {
        Follower::default()
            .sync(db, &search.index, &mut |_, _| {})
            .await?;
    } else {
        tracing::warn!(
            backlog,
            "search index is behind; indexing in the background (run `server reindex` to do it ahead of time)"
        );
    }
    Ok(search)
}

/// Job handlers this build knows. Domains register theirs here as they gain background work.
pub fn job_registry(
    mailer: Mailer,
    payments: app::payments::Payments,
    media_dir: std::path::PathBuf,
    import_private_hosts: bool,
    push: app::push::push_service::Sender,
) -> JobRegistry {
    let mut registry = JobRegistry::new();
    app::catalog::csv::import_service::register(&mut registry, media_dir, import_private_hosts);
    app::email::delivery::register(&mut registry, mailer);
    let order_mail = payments.mail.clone();
    app::payments::register(&mut registry, payments);
    app::assembly::maintenance::register(&mut registry);
    app::push::push_service::register(&mut registry, push);
    app::assembly::reactions::subscribe(&mut registry, order_mail);
    registry
}

/// The contact VAPID tokens name (RFC 8292): the shop's public https address, or for a shop
/// still on plain http (development) a mailbox at its host.
fn push_contact(public_url: &str) -> String {
    if public_url.starts_with("https://") {
        public_url.to_owned()
    } else {
        let host = public_url
            .trim_start_matches("http://")
            .split(['/', ':'])
            .next()
            .unwrap_or("localhost");
        format!("mailto:webmaster@{host}")
    }
}

/// A built application: listening, migrated, seeded, not yet serving.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    runner: Option<JobRunner>,
}

impl Application {
    /// Opens the database, applies migrations, prepares the initial data and binds the port.
    pub async fn build(
        mut config: Config,
        leptos_options: LeptosOptions,
    ) -> Result<Self, StartError> {
        let db = Db::connect(&config.database_url, config.db_max_connections)
            .await
            .map_err(StartError::Database)?;
        db.migrate().await.map_err(StartError::Database)?;
        let ring = app::platform::vault::ring_from(&config).map_err(StartError::Vault)?;
        db.unlock(ring)
            .await
            .map_err(|e| StartError::Vault(e.to_string()))?;
        app::assembly::sealing::seal_written_before(&db)
            .await
            .map_err(|e| StartError::Vault(e.to_string()))?;
        seed::prepare(&db, &config)
            .await
            .map_err(StartError::Seed)?;
        metrics_handle();
        let mailer = Mailer::from_settings(
            config.smtp_url.as_deref(),
            &config.mail_from,
            config.mail_dir.as_deref(),
        )
        .map_err(StartError::Mail)?;

        let search = open_search(&db, &config).await?;
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| StartError::Bind(config.addr, e))?;
        // Bound to port 0 (tests) with no public URL given: links must name the real port.
        if config.public_url.ends_with(":0")
            && let Ok(addr) = listener.local_addr()
        {
            config.public_url = format!("http://{addr}");
        }
        let payments = app::payments::Payments::from_config(&db, &config);
        // Resizing is CPU work anyone can ask for: at most one copy per core at a time.
        let resizer = app::media::storage::Resizer::new(
            config.media_dir.clone(),
            std::thread::available_parallelism().map_or(2, |n| n.get()),
        );
        let waker = JobWaker::default();
        let runner = (config.job_workers > 0).then(|| {
            JobRunner::new(
                db.clone(),
                job_registry(
                    mailer,
                    payments.clone(),
                    config.media_dir.clone(),
                    config.import_private_hosts,
                    app::push::push_service::Sender::new(
                        config.push_private_hosts,
                        push_contact(&config.public_url),
                    ),
                ),
                config.job_workers,
                config.job_poll_interval,
                waker.clone(),
            )
        });
        let payment_port = payments.port();
        let state = AppState::new(db, Arc::new(config), leptos_options, waker)
            .with(search)
            .with(payments)
            .with(payment_port)
            .with(app::analytics::recorder::Analytics::default())
            .with(resizer);
        Ok(Self {
            listener,
            state,
            runner,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or(self.state.config.addr)
    }

    /// The state requests will see.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves. Then stops accepting connections, lets in-flight
    /// requests and jobs finish (up to `SHOP_SHUTDOWN_GRACE_SECS`), and closes the database.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Self {
            listener,
            state,
            runner,
        } = self;
        let grace = state.config.shutdown_grace;
        let (stop_tx, stop_rx) = watch::channel(false);
        let jobs = runner.map(|r| r.spawn(stop_rx.clone()));
        let follower = tokio::spawn(app::search::follower::run(
            state.db.clone(),
            state.part::<app::search::follower::Search>().clone(),
            state.config.search_sync_interval,
            stop_rx.clone(),
        ));

        let analytics = tokio::spawn(app::analytics::recorder::run(
            state.db.clone(),
            state.part::<app::analytics::recorder::Analytics>().clone(),
            stop_rx.clone(),
        ));

        let app = router(state.clone());
        let mut stopping = stop_rx.clone();
        let server = tokio::spawn(crate::listener::serve(
            listener,
            app,
            state.config.header_timeout,
            async move {
                let _ = stopping.wait_for(|stop| *stop).await;
            },
        ));

        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests and jobs");
        let _ = stop_tx.send(true);
        let drained = tokio::time::timeout(grace, async {
            let served = server.await;
            if let Some(jobs) = jobs {
                let _ = jobs.await;
            }
            let _ = follower.await;
            let _ = analytics.await;
            served
        })
        .await;
        match drained {
            Ok(Ok(())) => {}
            Ok(Err(join)) => tracing::error!(error = %join, "server task failed"),
            Err(_) => tracing::warn!(?grace, "shutdown grace period over; stopping anyway"),
        }
        // Closing waits for every pooled connection to come back; a task that still holds one
        // must not keep the process from exiting.
        if tokio::time::timeout(std::time::Duration::from_secs(5), state.db.close())
            .await
            .is_err()
        {
            tracing::warn!("database connections still in use at exit");
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
