//! The HTTP server: wiring, middleware and process lifecycle around the `app` crate.
//!
//! - `startup`: builds the application (database, migrations, seed, job runner, router) and
//!   runs it until a shutdown signal, letting in-flight requests and jobs finish.
//! - `webhooks`: payment providers' signed webhooks.
//! - `exports`: the console's CSV downloads (products, orders).
//! - `mail_previews`: the console's sample mails, each under its own narrow policy.
//! - `routes`: the axum router: Leptos pages and server functions, health checks, metrics,
//!   static files.
//! - `security`: security headers and cross-site request refusal on every request.
//! - `media`: product pictures at the sizes pages ask for.
//! - `commands`: the command-line tasks (`reindex`, `generate`) beside serving.
//! - `page_cache`: rendered storefront pages kept for visitors without a session.
//! - `pwa`: the web app manifest and the app icons.
//! - `seo`: `robots.txt` and the XML sitemap.
//! - `telemetry`: tracing (with request ids) and Prometheus metrics.
//!
//! Business rules never live here; they belong to the domain folders in `app`.

#![recursion_limit = "256"]

pub mod commands;
pub mod csp;
pub mod exports;
pub mod health;
pub mod limits;
pub mod listener;
pub mod mail_previews;
pub mod media;
pub mod page_cache;
pub mod personal_data;
pub mod pwa;
pub mod routes;
pub mod security;
pub mod seo;
pub mod startup;
pub mod telemetry;
pub mod webhooks;
