//! CSV downloads for the console: `/admin/export/products.csv` (Shopify's product format),
//! `/admin/export/orders.csv` and `/admin/export/audit.csv` (with their lists' filters in the
//! query). Plain GETs so a link downloads them; the caller's session is checked like a server
//! function's, and every download is an entry in the audit log (`export.<what>`, with the
//! filters).

use app::identity::auth::{Access, authorize_headers};
use app::identity::sessions::Session;
use app::platform::audit_trail::{self, Who};
use app::platform::state::AppState;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use shop_types::{AppError, Permission};
use std::collections::HashMap;

/// The status for a refused or failed console download.
pub(crate) fn refused(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, e.to_string()).into_response()
}

/// Records that `session`'s account downloads `what` with `filters`.
async fn audited(
    state: &AppState,
    session: &Session,
    parts: &Parts,
    what: &str,
    filters: &HashMap<String, String>,
) -> Result<(), AppError> {
    let who = Who::account_in(&session.user.id, &session.user.email, parts);
    use app::platform::errors::internal;
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(internal("export: audit"))?;
    audit_trail::record(
        &mut tx,
        &who,
        &format!("export.{what}"),
        &format!("export:{what}"),
        None,
        Some(serde_json::json!(filters)),
    )
    .await
    .map_err(internal("export: audit"))?;
    tx.commit().await.map_err(internal("export: audit"))
}

fn csv(name: &str, body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /admin/export/products.csv`.
pub async fn products(State(state): State<AppState>, parts: Parts) -> Response {
    let session = match authorize_headers(
        &state,
        &parts.headers,
        Access::Permission(Permission::ManageCatalog),
    )
    .await
    {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    if let Err(e) = audited(&state, &session, &parts, "products", &HashMap::new()).await {
        return refused(e);
    }
    let mut conn = match state.conn("export: acquire").await {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    match app::catalog::csv::export_service::products_csv(&mut conn, &state.config.public_url).await
    {
        Ok(body) => csv("products.csv", body),
        Err(e) => refused(app::platform::errors::internal("export: products")(e)),
    }
}

/// `GET /admin/export/orders.csv?status=&method=&q=&from=&to=`.
pub async fn orders(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let session = match authorize_headers(
        &state,
        &parts.headers,
        Access::Permission(Permission::ManageOrders),
    )
    .await
    {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    let get = |k: &str| query.get(k).cloned();
    let filter = match app::orders::order_list::OrderFilter::parse(
        get("status"),
        get("method"),
        get("q"),
        get("from"),
        get("to"),
        None,
    ) {
        Ok(f) => f,
        Err(e) => return refused(e),
    };
    if let Err(e) = audited(&state, &session, &parts, "orders", &query).await {
        return refused(e);
    }
    let mut conn = match state.conn("export: acquire").await {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    match app::orders::export::orders_csv(&mut conn, state.db.vault(), &filter).await {
        Ok(body) => csv("orders.csv", body),
        Err(e) => refused(app::platform::errors::internal("export: orders")(e)),
    }
}

/// `GET /admin/export/audit.csv?action=&who=&subject=&from=&to=` (admins only).
pub async fn audit(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let session = match authorize_headers(
        &state,
        &parts.headers,
        Access::Role(&[shop_types::Role::Admin]),
    )
    .await
    {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    let get = |k: &str| query.get(k).cloned();
    let filter = match app::audit::store::AuditFilter::parse(
        get("action"),
        get("who"),
        get("subject"),
        get("from"),
        get("to"),
        None,
    ) {
        Ok(f) => f,
        Err(e) => return refused(e),
    };
    if let Err(e) = audited(&state, &session, &parts, "audit", &query).await {
        return refused(e);
    }
    let mut conn = match state.conn("export: acquire").await {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    match app::audit::store::csv(&mut conn, &filter).await {
        Ok(body) => csv("audit.csv", body),
        Err(e) => refused(app::platform::errors::internal("export: audit")(e)),
    }
}
