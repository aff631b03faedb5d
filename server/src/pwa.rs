//! The web app manifest (from the store's settings) and the app icons.

use app::platform::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `GET /manifest.webmanifest`.
pub async fn manifest(State(state): State<AppState>) -> Response {
    let name: Option<String> = match state.db.pool().acquire().await {
        Ok(mut conn) => sqlx::query_scalar("SELECT name FROM stores ORDER BY created_at LIMIT 1")
            .fetch_optional(&mut *conn)
            .await
            .ok()
            .flatten(),
        Err(_) => None,
    };
    let name = name.unwrap_or_else(|| state.config.store_name.clone());
    let body = app::pwa::manifest::manifest(&name).to_string();
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// `GET /icons/{192|512|maskable-192|maskable-512}.png`.
pub async fn icon(Path(file): Path<String>) -> Response {
    let Some(stem) = file.strip_suffix(".png") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (maskable, size) = match stem.strip_prefix("maskable-") {
        Some(size) => (true, size),
        None => (false, stem),
    };
    let Some(size) = size
        .parse::<u32>()
        .ok()
        .filter(|s| app::pwa::manifest::ICON_SIZES.contains(s))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match tokio::task::spawn_blocking(move || app::pwa::manifest::icon_png(size, maskable)).await {
        Ok(Ok(png)) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            png,
        )
            .into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
