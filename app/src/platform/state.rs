//! The state every request can reach: database, configuration, job waker, Leptos options.
//!
//! The server puts one [`AppState`] into axum's state and into Leptos's context for every page
//! render and server function; server functions fetch it with [`app_state`].

use super::config::Config;
use super::db::Db;
use super::errors::internal;
use super::jobs::JobWaker;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use shop_types::AppError;
use std::sync::Arc;

/// Shared, cheaply cloned application state.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    pub jobs: JobWaker,
    /// This instance's search index (see `search::follower`).
    pub search: crate::search::follower::Search,
    /// The card payment provider and what order mails say (see `payments`).
    pub payments: crate::payments::Payments,
    /// Shoppers' events waiting to be written (see `analytics`).
    pub analytics: crate::analytics::recorder::Analytics,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// A pooled database connection; a failure is logged under `context` and answered as an
    /// internal error.
    pub async fn conn(
        &self,
        context: &'static str,
    ) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, AppError> {
        self.db.pool().acquire().await.map_err(internal(context))
    }
}

/// The state, inside a server function or a server-side render.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| internal("AppState is missing from the context")("not provided"))
}
