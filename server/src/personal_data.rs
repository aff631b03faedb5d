//! Personal-data exports (GDPR Art. 15 and 20) as downloads: the signed-in account's own
//! (`paths::PERSONAL_DATA_EXPORT`, a link on the account page) and a customer's for staff who
//! answer a request made by e-mail (`paths::CUSTOMER_DATA_EXPORT?id=`, customer accounts only,
//! `manage_customers`). Plain GETs so a link downloads them without JavaScript; each one is an
//! entry in the audit log (`privacy.data_exported`, on the account it describes).

use crate::exports::refused;
use app::identity::auth::{Access, authorize_headers};
use app::identity::users::User;
use app::platform::audit_trail::{self, Who};
use app::platform::errors::internal;
use app::platform::state::AppState;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use shop_types::{AppError, Permission, Role, Thing};
use std::collections::HashMap;

/// `GET /account/personal-data.json`: everything the shop holds about the caller.
pub async fn own(State(state): State<AppState>, parts: Parts) -> Response {
    let session = match authorize_headers(&state, &parts.headers, Access::SignedIn).await {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    let who = Who::account_in(&session.user.id, &session.user.email, &parts);
    match export(&state, &who, &session.user, "owner").await {
        Ok(response) => response,
        Err(e) => refused(e),
    }
}

/// `GET /admin/export/customer-data.json?id=<account id>`: a customer's data, for staff.
pub async fn customer(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let session = match authorize_headers(
        &state,
        &parts.headers,
        Access::Permission(Permission::ManageCustomers),
    )
    .await
    {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    let id = query.get("id").map(|s| s.trim()).unwrap_or_default();
    let found = async {
        let mut conn = state.conn("personal data: acquire").await?;
        app::identity::users::find_by_id(&mut conn, state.db.vault(), id)
            .await
            .map_err(internal("personal data: account"))
    };
    let customer = match found.await {
        // Staff accounts are not customers' data to hand out.
        Ok(Some(user)) if user.role == Role::Customer => user,
        Ok(_) => return refused(AppError::not_found(Thing::Customer)),
        Err(e) => return refused(e),
    };
    let who = Who::account_in(&session.user.id, &session.user.email, &parts);
    match export(&state, &who, &customer, "staff").await {
        Ok(response) => response,
        Err(e) => refused(e),
    }
}

/// Audits the export of `user`'s data by `who` (`by`: "owner" or "staff"), then builds it.
async fn export(state: &AppState, who: &Who, user: &User, by: &str) -> Result<Response, AppError> {
    let now = app::platform::clock::now();
    let mut tx = state.write("personal data: audit").await?;
    audit_trail::record(
        &mut tx,
        who,
        "privacy.data_exported",
        &format!("user:{}", user.id),
        None,
        Some(serde_json::json!({ "email": user.email, "by": by })),
    )
    .await
    .map_err(internal("personal data: audit"))?;
    tx.commit()
        .await
        .map_err(internal("personal data: audit"))?;
    let mut conn = state.conn("personal data: acquire").await?;
    let store = app::store::queries::default_store(&mut conn)
        .await
        .map_err(internal("personal data: store"))?
        .map(|s| s.name)
        .unwrap_or_else(|| state.config.store_name.clone());
    let document =
        app::privacy::export::personal_data(&mut conn, state.db.vault(), user, &store, now)
            .await
            .map_err(internal("personal data: read"))?;
    let body = serde_json::to_vec_pretty(&document).map_err(internal("personal data: write"))?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    let name = app::privacy::export::file_name(now);
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
