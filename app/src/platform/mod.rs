//! Server-only infrastructure that every domain uses: configuration, the database, random ids,
//! the clock, background jobs, the request-scoped application state and error logging.
//!
//! Nothing in here knows about products, carts or orders; domain code lives in its own folder
//! (`catalog`, `marketing`, ...) and calls into this module. Compiled only with `ssr`.

pub mod audit_trail;
pub mod clock;
pub mod config;
pub mod consent_trail;
pub mod db;
pub mod errors;
pub mod events;
pub mod export;
pub mod forms;
pub mod http;
pub mod ids;
pub mod jobs;
pub mod meta;
pub mod outbound;
pub mod rate_limit;
pub mod secrets;
pub mod security;
pub mod state;
pub mod vault;
