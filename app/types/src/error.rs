//! The one error type every server function returns.
//!
//! Use [`AppError`] at the boundary between the browser and the server: it is serialisable and
//! every variant's message is safe to show a shopper. Inside the server, services use their own
//! precise error enums (or `sqlx::Error`) and convert at the server function. Never put internal
//! details (SQL, paths, stack traces) into a variant: [`AppError::Internal`] carries only a
//! reference that support can look up in the logs, where the details were written.

use crate::messages::{Problem, Thing};
use serde::Serialize;
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// An error a shopper, vendor or operator may see. Its words come from
/// [`crate::messages::en::app_error`]; services give codes ([`Problem`], [`Thing`]), never
/// sentences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    /// The thing asked for does not exist (or the caller may not know that it exists).
    NotFound { what: Thing },
    /// The caller must sign in first.
    Unauthorized,
    /// The caller is signed in but may not do this.
    Forbidden,
    /// One input is wrong; `field` names the form field (empty when it concerns the whole form).
    Validation { field: String, problem: Problem },
    /// The request clashes with the current state (sold out, already used, changed meanwhile).
    Conflict { problem: Problem },
    /// Too many attempts; try again after `retry_after_secs`.
    RateLimited { retry_after_secs: u64 },
    /// Something broke on our side. `reference` is logged with the details.
    Internal { reference: String },
    /// The browser could not reach the server or understand its answer.
    Unreachable { detail: String },
    /// The shop could not be reached, and the service worker kept the change on this device:
    /// it is sent when the connection returns (only the worker answers with this).
    SavedOffline,
}

// Not derived: every server function's answer may carry one, so this is in the module every
// page downloads (see `json_tagged`).
crate::tagged_deserialize!(AppError, "kind", {
    NotFound { what }, Unauthorized, Forbidden, Validation { field, problem }, Conflict { problem },
    RateLimited { retry_after_secs }, Internal { reference }, Unreachable { detail }, SavedOffline,
});

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::messages::en::app_error(self))
    }
}

impl std::error::Error for AppError {}

impl AppError {
    /// A validation error on one field.
    pub fn validation(field: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Self::Validation {
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// A not-found error naming what was missing.
    pub fn not_found(what: Thing) -> Self {
        Self::NotFound { what }
    }

    /// A conflict with the current state.
    pub fn conflict(problem: impl Into<Problem>) -> Self {
        Self::Conflict {
            problem: problem.into(),
        }
    }

    /// The problem behind a validation error or a conflict.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Validation { problem, .. } | Self::Conflict { problem } => Some(problem),
            _ => None,
        }
    }

    /// The form field this error belongs to, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation { field, .. } if !field.is_empty() => Some(field),
            _ => None,
        }
    }

    /// The HTTP status that fits this error.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::NotFound { .. } => 404,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::Validation { .. } => 422,
            Self::Conflict { .. } => 409,
            Self::RateLimited { .. } => 429,
            Self::Internal { .. } => 500,
            Self::Unreachable { .. } | Self::SavedOffline => 503,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request's arguments could not be read: the caller sent a bad form.
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => {
                Self::validation("", Problem::FormMalformed { detail: message })
            }
            ServerFnErrorErr::Request(detail)
            | ServerFnErrorErr::Response(detail)
            | ServerFnErrorErr::Deserialization(detail) => Self::Unreachable { detail },
            other => Self::Internal {
                reference: format!("framework: {other}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survives_the_wire_unchanged() {
        let errors = [
            AppError::not_found(Thing::Product),
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::validation("email", Problem::EmailMissing),
            AppError::conflict(Problem::SoldOut),
            AppError::RateLimited {
                retry_after_secs: 30,
            },
            AppError::Internal {
                reference: "abc123".into(),
            },
        ];
        for error in errors {
            let bytes = error.ser();
            assert_eq!(AppError::de(bytes), error);
        }
    }

    #[test]
    fn messages_are_for_people() {
        assert_eq!(
            AppError::not_found(Thing::Product).to_string(),
            "Product was not found."
        );
        let internal = AppError::Internal {
            reference: "r-42".into(),
        }
        .to_string();
        assert!(internal.contains("r-42"));
        assert_eq!(
            AppError::validation("email", Problem::SoldOut).field(),
            Some("email")
        );
        assert_eq!(AppError::validation("", Problem::SoldOut).field(), None);
    }

    #[test]
    fn framework_argument_errors_become_validation_errors() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field".into()));
        assert_eq!(e.status_code(), 422);
    }
}
