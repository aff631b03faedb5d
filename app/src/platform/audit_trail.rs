//! What the audit log is told. Every staff action and every security event records an
//! [`Entry`] in the transaction of its cause ([`record`]), so the entry exists exactly when
//! the change committed; it is a domain event (`audit.entry`) that the `audit` domain appends to
//! its hash-chained log (`assembly::reactions`). Causes never import the log itself.
//!
//! An entry says who ([`Who`]: the account, or the system, with the caller's address and the
//! request id), what (`action`, a stable dotted name such as `product.saved`), to what
//! (`subject`, `<kind>:<id>`), and the values before and after: only what changed
//! ([`changes`]).

use super::events::DomainEvent;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use shop_types::Timestamp;
use sqlx::AnyConnection;

/// Who did something, and from where.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Who {
    /// The account; `None` for the shop itself (a job, a webhook, the command line).
    pub user_id: Option<String>,
    /// How the log names them: the account's e-mail at the time, or `system`.
    pub label: String,
    /// The caller's address as the server saw it (behind trusted proxies: the client's).
    pub ip: Option<String>,
    /// The request's `x-request-id`, to find it in the server's log.
    pub request_id: Option<String>,
}

impl Who {
    /// How histories that keep a short actor text name them (`staff:<id>`, `system`).
    pub fn tag(&self) -> String {
        match &self.user_id {
            Some(id) => format!("staff:{id}"),
            None => "system".to_owned(),
        }
    }

    /// The shop itself.
    pub fn system() -> Self {
        Self {
            label: "system".to_owned(),
            ..Self::default()
        }
    }

    /// An account, with no request (a job acting for it, a test).
    #[must_use]
    pub fn of(user_id: &str, label: &str) -> Self {
        Self {
            user_id: Some(user_id.to_owned()),
            label: label.to_owned(),
            ip: None,
            request_id: None,
        }
    }

    /// An account, in the request being handled (address and request id read from it).
    #[must_use]
    pub fn account(user_id: &str, label: &str) -> Self {
        let (ip, request_id) = super::http::request_origin();
        Self {
            ip,
            request_id,
            ..Self::of(user_id, label)
        }
    }

    /// An account, in a request handled outside Leptos (a download).
    #[must_use]
    pub fn account_in(user_id: &str, label: &str, parts: &axum::http::request::Parts) -> Self {
        let (ip, request_id) = super::http::origin_of(parts);
        Self {
            user_id: Some(user_id.to_owned()),
            label: label.to_owned(),
            ip,
            request_id,
        }
    }

    /// Someone not signed in (a failed sign-in names the address tried in `label`).
    #[must_use]
    pub fn anonymous(label: &str) -> Self {
        let (ip, request_id) = super::http::request_origin();
        Self {
            user_id: None,
            label: label.to_owned(),
            ip,
            request_id,
        }
    }
}

/// One thing that happened, as the log keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Unique per entry: a re-delivered event is appended once.
    pub id: String,
    pub at: Timestamp,
    pub who: Who,
    pub action: String,
    pub subject: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl DomainEvent for Entry {
    const KIND: &'static str = "audit.entry";
}

/// Records `action` on `subject` by `who` in the caller's transaction.
pub async fn record(
    tx: &mut AnyConnection,
    who: &Who,
    action: &str,
    subject: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), sqlx::Error> {
    let entry = Entry {
        id: super::ids::new_id().to_string(),
        at: super::clock::now(),
        who: who.clone(),
        action: action.to_owned(),
        subject: subject.to_owned(),
        before,
        after,
    };
    super::events::record(tx, &entry).await
}

/// Records a change from `before` to `after` (JSON objects), keeping only what differs;
/// nothing is recorded when nothing changed.
pub async fn record_change(
    tx: &mut AnyConnection,
    who: &Who,
    action: &str,
    subject: &str,
    before: &Value,
    after: &Value,
) -> Result<(), sqlx::Error> {
    match changes(before, after) {
        Some((was, now)) => record(tx, who, action, subject, Some(was), Some(now)).await,
        None => Ok(()),
    }
}

/// The parts of two values that differ: for objects, the keys whose values differ (nested
/// objects compared the same way, so a product's variants keyed by SKU show only the variant
/// that changed, and only its changed fields); anything else whole. `None` if they are equal.
pub fn changes(before: &Value, after: &Value) -> Option<(Value, Value)> {
    if before == after {
        return None;
    }
    let (Value::Object(b), Value::Object(a)) = (before, after) else {
        return Some((before.clone(), after.clone()));
    };
    let mut was = Map::new();
    let mut now = Map::new();
    for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
        let (old, new) = (
            b.get(key).unwrap_or(&Value::Null),
            a.get(key).unwrap_or(&Value::Null),
        );
        if let Some((o, n)) = changes(old, new) {
            was.insert(key.clone(), o);
            now.insert(key.clone(), n);
        }
    }
    Some((Value::Object(was), Value::Object(now)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_what_changed_is_kept() {
        let before = json!({
            "title": "Linen Shirt", "status": "active",
            "variants": { "SKU-1": { "price": 4990, "title": "S" }, "SKU-2": { "price": 4990 } }
        });
        let after = json!({
            "title": "Linen Shirt", "status": "active",
            "variants": { "SKU-1": { "price": 3990, "title": "S" }, "SKU-2": { "price": 4990 } }
        });
        assert_eq!(
            changes(&before, &after),
            Some((
                json!({ "variants": { "SKU-1": { "price": 4990 } } }),
                json!({ "variants": { "SKU-1": { "price": 3990 } } })
            ))
        );
        assert_eq!(changes(&before, &before), None);
    }

    #[test]
    fn added_and_removed_keys_show_as_null_on_the_other_side() {
        let (was, now) = changes(
            &json!({ "variants": { "SKU-1": { "price": 1 } } }),
            &json!({ "variants": { "SKU-2": { "price": 2 } } }),
        )
        .unwrap();
        assert_eq!(
            was,
            json!({ "variants": { "SKU-1": { "price": 1 }, "SKU-2": null } })
        );
        assert_eq!(
            now,
            json!({ "variants": { "SKU-1": null, "SKU-2": { "price": 2 } } })
        );
        assert_eq!(
            changes(&json!(["a"]), &json!(["b"])),
            Some((json!(["a"]), json!(["b"])))
        );
    }
}
