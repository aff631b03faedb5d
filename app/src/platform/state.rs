//! The state every request can reach: database, configuration, job waker, Leptos options.
//!
//! The server puts one [`AppState`] into axum's state and into Leptos's context for every page
//! render and server function; server functions fetch it with [`app_state`].
//!
//! Services that belong to a domain (the search index, the payment provider, the analytics
//! buffer) are *parts*: the composition root (`server::startup`, tests) adds them with
//! [`AppState::with`] and the owning domain reads its own with [`AppState::part`]. This keeps
//! `platform` free of domain types, so domains may build on it without an import cycle.

use super::config::Config;
use super::db::Db;
use super::errors::internal;
use super::jobs::JobWaker;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use shop_types::AppError;
use std::any::{Any, TypeId, type_name};
use std::collections::HashMap;
use std::sync::Arc;

/// Shared, cheaply cloned application state.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    pub jobs: JobWaker,
    parts: Parts,
}

/// One part: its type's name (for `Debug` and errors) and the value.
type Part = (&'static str, Arc<dyn Any + Send + Sync>);

/// Domain services in the state, one per type.
#[derive(Clone, Default)]
struct Parts(Arc<HashMap<TypeId, Part>>);

impl std::fmt::Debug for Parts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.values().map(|(name, _)| name))
            .finish()
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// State with no domain parts yet.
    pub fn new(db: Db, config: Arc<Config>, leptos_options: LeptosOptions, jobs: JobWaker) -> Self {
        Self {
            db,
            config,
            leptos_options,
            jobs,
            parts: Parts::default(),
        }
    }

    /// Adds (or replaces) the part of type `T`.
    pub fn with<T: Any + Send + Sync>(mut self, part: T) -> Self {
        Arc::make_mut(&mut self.parts.0)
            .insert(TypeId::of::<T>(), (type_name::<T>(), Arc::new(part)));
        self
    }

    /// The part of type `T`. The composition root adds every part before the first request,
    /// so a missing one is a wiring mistake, reported at once by any test that starts the app.
    pub fn part<T: Any + Send + Sync>(&self) -> &T {
        self.parts
            .0
            .get(&TypeId::of::<T>())
            .and_then(|(_, part)| part.downcast_ref::<T>())
            .unwrap_or_else(|| panic!("{} was not added to AppState", type_name::<T>()))
    }

    /// A pooled database connection; a failure is logged under `context` and answered as an
    /// internal error.
    pub async fn conn(
        &self,
        context: &'static str,
    ) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, AppError> {
        self.db.pool().acquire().await.map_err(internal(context))
    }

    /// A write transaction ([`crate::platform::db::Db::begin_write`]), failures answered as
    /// [`Self::conn`]'s.
    pub async fn write(
        &self,
        context: &'static str,
    ) -> Result<crate::platform::db::WriteTx, AppError> {
        self.db.begin_write().await.map_err(internal(context))
    }
}

/// The state, inside a server function or a server-side render.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| internal("AppState is missing from the context")("not provided"))
}
