//! The personal-data export: one JSON document with everything the shop holds about an account,
//! each part read through the domain that owns it. Secrets are left out on purpose (password
//! hash, authenticator key, recovery codes, passkey public keys, session and device cookies,
//! push keys): they are not information about the person, and a leaked export must not open
//! the account.

use crate::identity::users::User;
use serde_json::{Value, json};
use shop_types::Timestamp;
use sqlx::AnyConnection;

/// The document's format name and version, first in every export.
pub const FORMAT: &str = "shop.personal-data/1";

/// The file name a download offers.
pub fn file_name(now: Timestamp) -> String {
    format!("personal-data-{}.json", &now.to_rfc3339()[..10])
}

fn time(t: Timestamp) -> String {
    t.to_rfc3339()
}

/// Everything the shop holds about `user`, as of `now`.
pub async fn personal_data(
    conn: &mut AnyConnection,
    vault: &crate::platform::vault::Vault,
    user: &User,
    store_name: &str,
    now: Timestamp,
) -> Result<Value, sqlx::Error> {
    use crate::identity::{devices, factors, passkeys, sessions, users};
    let joined = users::joined_at(&mut *conn, &user.id).await?;
    let second_factors = factors::status(&mut *conn, &user.id).await?;
    let passkeys: Vec<Value> = passkeys::list(&mut *conn, &user.id)
        .await?
        .into_iter()
        .map(|p| {
            json!({
                "name": p.name,
                "added_at": time(p.created_at),
                "last_used_at": p.last_used_at.map(time),
            })
        })
        .collect();
    let sessions: Vec<Value> = sessions::list_for_user(&mut *conn, &user.id)
        .await?
        .into_iter()
        .map(|s| {
            json!({
                "browser": s.user_agent,
                "signed_in_at": time(s.created_at),
                "last_active_at": time(s.last_seen_at),
            })
        })
        .collect();
    let devices: Vec<Value> = devices::list(&mut *conn, &user.id)
        .await?
        .into_iter()
        .map(|d| {
            json!({
                "browser": d.user_agent,
                "first_seen_at": time(d.first_seen_at),
                "last_seen_at": time(d.last_seen_at),
            })
        })
        .collect();
    let addresses: Vec<Value> = crate::account::address_book::list(&mut *conn, vault, &user.id)
        .await?
        .into_iter()
        .map(|a| serde_json::to_value(a).unwrap_or(Value::Null))
        .collect();
    let orders = orders(&mut *conn, vault, &user.id, store_name).await?;
    let favourites: Vec<Value> = crate::catalog::queries::favourites(&mut *conn, &user.id)
        .await?
        .into_iter()
        .map(|p| json!({ "product": p.title, "link": shop_types::paths::product(&p.slug) }))
        .collect();
    let newsletter = crate::marketing::newsletter_service::consent(&mut *conn, vault, &user.email)
        .await?
        .map(|c| {
            json!({
                "source": c.source,
                "consented_at": time(c.consented_at),
                "withdrawn_at": c.withdrawn_at.map(time),
            })
        });
    let consents: Vec<Value> = super::consents::of_person(&mut *conn, vault, &user.id, &user.email)
        .await?
        .into_iter()
        .map(|c| {
            json!({
                "purpose": c.purpose,
                "given": c.given,
                "wording": c.wording,
                "source": c.source,
                "at": time(c.at),
            })
        })
        .collect();
    let push: Vec<Value> = crate::push::push_service::devices_of(&mut *conn, &user.id)
        .await?
        .into_iter()
        .map(|d| {
            json!({
                "push_service": d.service,
                "topics": d.topics.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
                "subscribed_at": time(d.created_at),
                "last_sent_at": d.last_sent_at.map(time),
            })
        })
        .collect();
    let history = security_history(&mut *conn, &user.id).await?;
    let seller = seller(&mut *conn, vault, &user.id).await?;
    Ok(json!({
        "format": FORMAT,
        "generated_at": time(now),
        "shop": store_name,
        "account": {
            "email": user.email,
            "name": user.name,
            "role": user.role.as_str(),
            "email_confirmed": user.email_verified,
            "joined_at": joined.map(time),
        },
        "sign_in": {
            "two_step": second_factors.app,
            "recovery_codes_left": second_factors.recovery_codes_left,
            "passkeys": passkeys,
            "sessions": sessions,
            "browsers": devices,
        },
        "addresses": addresses,
        "orders": orders,
        "favourites": favourites,
        "newsletter": newsletter,
        "consents": consents,
        "push_notifications": push,
        "security_events": history,
        "seller": seller,
    }))
}

/// The seller the account works for, if any: its name, the account's role and, for an owner,
/// the business details they gave when applying (contact, addresses, registration, payout
/// account). `null` for shoppers.
async fn seller(
    conn: &mut AnyConnection,
    vault: &crate::platform::vault::Vault,
    user_id: &str,
) -> Result<Value, sqlx::Error> {
    use crate::vendors::vendor_store;
    let Some((vendor, role)) = vendor_store::membership(&mut *conn, user_id).await? else {
        return Ok(Value::Null);
    };
    let details = if role == shop_types::VendorRole::Owner {
        vendor_store::details(&mut *conn, vault, &vendor.id)
            .await?
            .map(|d| serde_json::to_value(d).unwrap_or(Value::Null))
    } else {
        None
    };
    Ok(json!({
        "name": vendor.name,
        "role": role.as_str(),
        "status": vendor.status.as_str(),
        "applied_at": time(vendor.created_at),
        "terms_version": vendor.terms_version,
        "terms_accepted_at": time(vendor.terms_accepted_at),
        "business_details": details,
    }))
}

/// Every order of the account in full (lines, totals, addresses, status history), newest
/// first.
async fn orders(
    conn: &mut AnyConnection,
    vault: &crate::platform::vault::Vault,
    user_id: &str,
    store_name: &str,
) -> Result<Vec<Value>, sqlx::Error> {
    use crate::orders::order_queries::{HISTORY_PAGE, history, view};
    let mut out = Vec::new();
    for page in 0.. {
        let summaries = history(&mut *conn, user_id, page).await?;
        let last = (summaries.len() as i64) < HISTORY_PAGE;
        for summary in summaries {
            if let Some(order) = view(&mut *conn, vault, &summary.id, store_name, None).await? {
                out.push(serde_json::to_value(order).unwrap_or(Value::Null));
            }
        }
        if last {
            break;
        }
    }
    Ok(out)
}

/// The account's security events from the audit log (sign-ins, failed attempts, factor and
/// passkey changes), newest first: when, what, and from which address.
async fn security_history(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<Value>, sqlx::Error> {
    use crate::audit::store::{AuditFilter, rows};
    let filter = AuditFilter {
        subject: Some(format!("user:{user_id}")),
        ..AuditFilter::default()
    };
    Ok(rows(&mut *conn, &filter, 1000)
        .await?
        .into_iter()
        .map(|r| json!({ "at": time(r.at), "event": r.action, "from": r.ip }))
        .collect())
}
