//! The console's privacy requests: someone asks by e-mail, letter or phone for their data or
//! for erasure; staff record it, answer within the 30-day deadline and close it. Every step is
//! audited. Staff with the customers permission.

use super::views::{PrivacyRequest, PrivacyRequests};
use crate::ui::{FormError, admin_error, error_for, when};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Open requests by deadline, then the latest closed ones.
#[server(endpoint = "admin/privacy")]
pub async fn list_privacy_requests() -> Result<PrivacyRequests, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{clock::now, errors::internal, state::app_state};
    use shop_types::Permission;

    no_store();
    let state = app_state()?;
    authorize(&state, Access::Permission(Permission::ManageCustomers)).await?;
    let mut conn = state.conn("privacy requests: acquire").await?;
    let (open, closed) = super::request_store::list(&mut conn, state.db.vault())
        .await
        .map_err(internal("privacy requests: list"))?;
    Ok(PrivacyRequests {
        open,
        closed,
        now: now(),
    })
}

/// Records a request for `kind` (`export` or `erasure`) from `email`, received now.
#[server(endpoint = "admin/privacy/record")]
pub async fn record_privacy_request(email: String, kind: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize, who};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::{Email, Permission};

    let state = app_state()?;
    let session = authorize(&state, Access::Permission(Permission::ManageCustomers)).await?;
    let email = Email::parse(&email).map_err(|e| AppError::validation("email", e))?;
    let kind = match kind.trim() {
        k @ ("export" | "erasure") => k,
        _ => {
            return Err(AppError::validation(
                "kind",
                Problem::PrivacyRequestKindUnknown,
            ));
        }
    };
    let mut tx = state.write("privacy request: begin").await?;
    let id = super::request_store::record(&mut tx, state.db.vault(), kind, email.as_str())
        .await
        .map_err(internal("privacy request: record"))?;
    finish(
        tx,
        &who(&session),
        "privacy.request_recorded",
        &id,
        serde_json::json!({ "kind": kind }),
    )
    .await
}

/// Audits a request's step in its transaction, commits, and goes back to the list.
#[cfg(feature = "ssr")]
async fn finish(
    mut tx: crate::platform::db::WriteTx,
    who: &crate::platform::audit_trail::Who,
    action: &str,
    id: &str,
    after: serde_json::Value,
) -> Result<(), AppError> {
    use crate::platform::errors::internal;
    crate::platform::audit_trail::record(
        &mut tx,
        who,
        action,
        &format!("privacy_request:{id}"),
        None,
        Some(after),
    )
    .await
    .map_err(internal("privacy request: audit"))?;
    tx.commit()
        .await
        .map_err(internal("privacy request: commit"))?;
    crate::platform::forms::redirect_after_form_post(&format!(
        "{}?saved=1",
        shop_types::paths::PRIVACY_REQUESTS
    ));
    Ok(())
}

/// Closes request `id`: `answer` (the export was sent, or the question answered), `erase`
/// (an erasure request: the customer with that address is erased now, if there is one) or
/// `refuse` (for example when the requester could not prove who they are).
#[server(endpoint = "admin/privacy/close")]
pub async fn close_privacy_request(id: String, action: String) -> Result<(), AppError> {
    use super::erasure::{ErasedBy, erase_customer};
    use crate::identity::auth::{Access, authorize, who};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::{Permission, Thing};

    let state = app_state()?;
    let session = authorize(&state, Access::Permission(Permission::ManageCustomers)).await?;
    let who = who(&session);
    let vault = state.db.vault();
    let mut conn = state.conn("privacy request: acquire").await?;
    let (kind, email) = super::request_store::open_one(&mut conn, vault, id.trim())
        .await
        .map_err(internal("privacy request: read"))?
        .ok_or_else(|| AppError::conflict(Problem::PrivacyRequestClosed))?;
    let account = crate::identity::users::find_by_email(&mut conn, vault, &email)
        .await
        .map_err(internal("privacy request: account"))?
        .filter(|u| u.role == shop_types::Role::Customer);
    drop(conn);
    let (outcome, pseudonym) = match (action.trim(), kind.as_str()) {
        ("erase", "erasure") => match account {
            Some(user) => {
                let erased = erase_customer(&state.db, &user.id, ErasedBy::Staff(&who))
                    .await
                    .map_err(|e| e.into_app_error())?;
                ("done", Some(erased.pseudonym))
            }
            None => ("no_account", None),
        },
        ("answer", _) => ("done", None),
        ("refuse", _) => ("refused", None),
        _ => {
            return Err(AppError::validation(
                "action",
                Problem::PrivacyRequestActionUnknown,
            ));
        }
    };
    let mut tx = state.write("privacy request: begin").await?;
    let closed = super::request_store::close(&mut tx, id.trim(), outcome, pseudonym.as_deref())
        .await
        .map_err(internal("privacy request: close"))?;
    if !closed {
        return Err(AppError::not_found(Thing::Item));
    }
    finish(
        tx,
        &who,
        "privacy.request_closed",
        id.trim(),
        serde_json::json!({ "kind": kind, "outcome": outcome, "pseudonym": pseudonym }),
    )
    .await
}

/// `/admin/privacy`: record a request, answer the open ones before their deadline.
#[component]
pub fn PrivacyRequestsPage() -> impl IntoView {
    let record = ServerAction::<RecordPrivacyRequest>::new();
    let close = ServerAction::<ClosePrivacyRequest>::new();
    let requests = Resource::new(
        move || (record.version().get(), close.version().get()),
        |_| list_privacy_requests(),
    );
    let record_err =
        move |f: &'static str| Signal::derive(move || record.value().with(|v| error_for(v, f)));
    let close_err = Signal::derive(move || {
        close
            .value()
            .with(|v| error_for(v, "").or_else(|| error_for(v, "action")))
    });
    let query = use_query_map();
    let saved = move || {
        let by_action = (record.value().with(|v| matches!(v, Some(Ok(_))))
            || close.value().with(|v| matches!(v, Some(Ok(_)))))
        .then_some("Saved.");
        by_action.or_else(|| query.with(|q| q.get("saved").is_some()).then_some("Saved."))
    };
    view! {
        <Title text="Privacy requests"/>
        <section class="page">
            <h1>"Privacy requests"</h1>
            <p class="hint">"Someone may ask by e-mail, letter or phone for a copy of their data or for their account to be erased. Record it here the day it arrives: the law gives 30 days to answer. Make sure the request comes from the address's owner before you answer it."</p>
            <p class="form-success" role="status">{saved}</p>
            <h2>"Record a request"</h2>
            <ActionForm action=record attr:class="stack-form">
                <FormError error=record_err("")/>
                <crate::ui::Field id="privacy-email" name="email" label="The person's e-mail address" kind="email"
                    autocomplete="off" required=true maxlength="254" error=record_err("email")/>
                <fieldset>
                    <legend>"They ask for"</legend>
                    <label><input type="radio" name="kind" value="export" checked=true/>" a copy of their data"</label>
                    <label><input type="radio" name="kind" value="erasure"/>" erasure of their account"</label>
                </fieldset>
                <button type="submit">"Record the request"</button>
            </ActionForm>
            <FormError error=close_err/>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match requests.await {
                        Ok(r) => view! {
                            <h2>"Open"</h2>
                            <OpenRequests requests=r.open now=r.now close/>
                            <h2>"Closed"</h2>
                            <ClosedRequests requests=r.closed/>
                        }.into_any(),
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn asked_for(kind: &str) -> &'static str {
    if kind == "erasure" {
        "Erasure"
    } else {
        "A copy of their data"
    }
}

#[component]
fn OpenRequests(
    requests: Vec<PrivacyRequest>,
    now: shop_types::Timestamp,
    close: ServerAction<ClosePrivacyRequest>,
) -> impl IntoView {
    if requests.is_empty() {
        return view! { <p>"No request is waiting."</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="data-table">
            <caption class="visually-hidden">"Open privacy requests, soonest deadline first"</caption>
            <thead><tr>
                <th scope="col">"Due"</th><th scope="col">"Received"</th><th scope="col">"E-mail"</th>
                <th scope="col">"Asks for"</th><th scope="col">"Account"</th><th scope="col">"Answer"</th>
            </tr></thead>
            <tbody>
                {requests.into_iter().map(|r| {
                    let overdue = r.due_at.millis() < now.millis();
                    let due = if overdue { format!("{} (overdue)", when(r.due_at)) } else { when(r.due_at) };
                    let account = match &r.account_id {
                        Some(id) if r.kind == "export" => view! {
                            <a href=format!("{}?id={id}", shop_types::paths::CUSTOMER_DATA_EXPORT) download>
                                {format!("Download the data of {}", r.email)}
                            </a>
                        }.into_any(),
                        Some(id) => view! { <a href=format!("/admin/customers/{id}")>"Customer account"</a> }.into_any(),
                        None => view! { "No account with this address" }.into_any(),
                    };
                    let main_action = if r.kind == "erasure" {
                        ("erase", format!("Erase {} now", r.email))
                    } else {
                        ("answer", format!("Mark the request of {} answered", r.email))
                    };
                    let (id_a, id_b) = (r.id.clone(), r.id.clone());
                    view! {
                        <tr class:overdue=overdue>
                            <td>{due}</td>
                            <td>{when(r.received_at)}</td>
                            <td>{r.email.clone()}</td>
                            <td>{asked_for(&r.kind)}</td>
                            <td>{account}</td>
                            <td>
                                <ActionForm action=close attr:class="inline-form">
                                    <input type="hidden" name="id" value=id_a/>
                                    <input type="hidden" name="action" value=main_action.0/>
                                    <button type="submit">{main_action.1}</button>
                                </ActionForm>
                                <ActionForm action=close attr:class="inline-form">
                                    <input type="hidden" name="id" value=id_b/>
                                    <input type="hidden" name="action" value="refuse"/>
                                    <button type="submit" class="secondary">{format!("Refuse the request of {}", r.email)}</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

#[component]
fn ClosedRequests(requests: Vec<PrivacyRequest>) -> impl IntoView {
    if requests.is_empty() {
        return view! { <p>"None yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="data-table">
            <caption class="visually-hidden">"Closed privacy requests, newest first"</caption>
            <thead><tr>
                <th scope="col">"Received"</th><th scope="col">"Closed"</th><th scope="col">"Asked for"</th><th scope="col">"Outcome"</th>
            </tr></thead>
            <tbody>
                {requests.into_iter().map(|r| {
                    let outcome = match (r.outcome.as_deref(), &r.pseudonym) {
                        (Some("done"), Some(p)) => format!("Erased; orders kept as {p}"),
                        (Some("done"), None) => "Answered".to_owned(),
                        (Some("no_account"), _) => "No account had this address".to_owned(),
                        _ => "Refused".to_owned(),
                    };
                    view! {
                        <tr>
                            <td>{when(r.received_at)}</td>
                            <td>{r.closed_at.map(when).unwrap_or_default()}</td>
                            <td>{asked_for(&r.kind)}</td>
                            <td>{outcome}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}
