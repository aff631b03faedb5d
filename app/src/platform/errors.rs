//! Turning internal failures into an [`AppError`] a user may see, without leaking details.
//!
//! Use [`internal`] wherever a database or I/O error crosses into a server function: the
//! details go to the log (inside the request's span, so they carry its request id), the caller
//! gets only a reference to quote.

use super::ids::new_reference;
use shop_types::AppError;
use std::fmt::Display;

/// Returns a closure for `map_err` that logs `err` under `context` and hides it from the caller.
pub fn internal<E: Display>(context: &'static str) -> impl FnOnce(E) -> AppError {
    move |err| {
        let reference = new_reference();
        tracing::error!(%reference, error = %err, "{context}");
        AppError::Internal { reference }
    }
}
