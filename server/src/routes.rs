//! The axum router: Leptos pages and server functions, probes, metrics and static files.

use crate::health::{healthz, readyz};
use crate::limits::{ClientSlots, body_limits, client_concurrency};
use crate::page_cache::{PageCache, page_cache};
use crate::security::{client_address, security_baseline};
use crate::seo::{robots, sitemap_file, sitemap_index};
use crate::telemetry::{metrics_endpoint, track_metrics};
use app::platform::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use shop_types::AppError;
use tower::ServiceBuilder;
use tower_http::LatencyUnit;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Builds the whole application router around `state`.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let page_state = state.clone();
    let leptos_options = state.leptos_options.clone();

    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_endpoint))
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap_index))
        .route("/sitemaps/{file}", get(sitemap_file))
        .route("/media/{key}/{file}", get(crate::media::picture))
        .route("/manifest.webmanifest", get(crate::pwa::manifest))
        .route("/icons/{file}", get(crate::pwa::icon))
        .route("/admin/export/products.csv", get(crate::exports::products))
        .route("/admin/export/orders.csv", get(crate::exports::orders))
        .route("/admin/export/audit.csv", get(crate::exports::audit))
        .route(
            shop_types::paths::PERSONAL_DATA_EXPORT,
            get(crate::personal_data::own),
        )
        .route(
            shop_types::paths::CUSTOMER_DATA_EXPORT,
            get(crate::personal_data::customer),
        )
        .route(
            &format!("{}{{index}}", shop_types::paths::EMAIL_PREVIEWS),
            get(crate::mail_previews::preview),
        )
        .route(
            "/webhooks/{provider}",
            axum::routing::post(crate::webhooks::receive),
        )
        .route(
            shop_types::paths::CSP_REPORT,
            axum::routing::post(crate::csp::receive),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(page_state.clone()),
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        // The build's own files, with the brotli and gzip copies `make build` made beside
        // them sent as they are (the compression layer leaves encoded answers alone); a file
        // without them (a development build) is compressed on the way as before.
        .nest_service(
            &format!("/{}", leptos_options.site_pkg_dir),
            precompressed(&leptos_options.site_root, &leptos_options.site_pkg_dir),
        )
        .nest_service(
            shop_types::paths::SW.trim_end_matches('/'),
            precompressed(
                &leptos_options.site_root,
                shop_types::paths::SW.trim_matches('/'),
            ),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Inside the security layer, which then reads the fresh nonce each hit gets.
        .layer(axum::middleware::from_fn_with_state(
            (state.clone(), PageCache::new(state.config.page_cache_ttl)),
            page_cache,
        ))
        .layer(axum::middleware::from_fn(server_fn_responses))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security_baseline,
        ))
        // Outermost of these: how long, how large, how many at once, and from whom.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.config.request_timeout,
        ))
        .layer(RequestBodyTimeoutLayer::new(state.config.header_timeout))
        .layer(axum::middleware::from_fn(body_limits))
        .layer(axum::middleware::from_fn_with_state(
            ClientSlots::new(state.config.client_concurrency),
            client_concurrency,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            client_address,
        ))
        // Outside the security layer, which reads each page's nonce from the plain HTML.
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(track_metrics))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|request: &Request<Body>| {
                            let request_id = request
                                .headers()
                                .get("x-request-id")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("-");
                            tracing::info_span!(
                                "request",
                                request_id = %request_id,
                                method = %request.method(),
                                path = %request.uri().path(),
                            )
                        })
                        // One line per request at INFO (status and latency), inside the span above.
                        .on_response(
                            DefaultOnResponse::new()
                                .level(Level::INFO)
                                .latency_unit(LatencyUnit::Millis),
                        ),
                )
                .layer(PropagateRequestIdLayer::x_request_id()),
        )
        .with_state(state)
}

/// Files under `root/dir`, each answered by its `.br` or `.gz` copy when the browser takes
/// that encoding and the copy exists.
fn precompressed(root: &str, dir: &str) -> tower_http::services::ServeDir {
    tower_http::services::ServeDir::new(std::path::Path::new(root).join(dir))
        .precompressed_br()
        .precompressed_gzip()
}

/// Largest error body we read back to find its status (errors are a few hundred bytes).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Where Leptos mounts server functions (its default prefix).
const SERVER_FN_PREFIX: &str = "/api/";

/// Post-processes server function answers.
///
/// Server functions answer every error with HTTP 500; here the serialised [`AppError`] is read
/// back so the status says what happened (422 for a validation error, 429 with `Retry-After`
/// when rate limited, ...), which matters to API clients, proxies and monitoring. Their answers
/// are also per user, so no shared cache may store them.
async fn server_fn_responses(request: Request<Body>, next: Next) -> Response {
    if !request.uri().path().starts_with(SERVER_FN_PREFIX) {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    let mut response = if response.status() == StatusCode::INTERNAL_SERVER_ERROR {
        with_error_status(response).await
    } else {
        response
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

async fn with_error_status(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "error body too large").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let AppError::RateLimited { retry_after_secs } = error {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
