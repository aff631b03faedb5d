//! CSV downloads for the console: `/admin/export/products.csv` (Shopify's product format) and
//! `/admin/export/orders.csv` (with the order list's filters in the query). Plain GETs so a
//! link downloads them; the caller's session is checked like a server function's.

use app::identity::auth::{Access, authorize_headers};
use app::platform::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use shop_types::{AppError, Permission};
use std::collections::HashMap;

fn refused(e: AppError) -> Response {
    let status = match e {
        AppError::Unauthorized => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (status, e.to_string()).into_response()
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
pub async fn products(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(e) = authorize_headers(
        &state,
        &headers,
        Access::Permission(Permission::ManageCatalog),
    )
    .await
    {
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
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(e) = authorize_headers(
        &state,
        &headers,
        Access::Permission(Permission::ManageOrders),
    )
    .await
    {
        return refused(e);
    }
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
    let mut conn = match state.conn("export: acquire").await {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    match app::orders::export::orders_csv(&mut conn, &filter).await {
        Ok(body) => csv("orders.csv", body),
        Err(e) => refused(app::platform::errors::internal("export: orders")(e)),
    }
}
