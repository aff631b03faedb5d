//! Middleware for the security baseline: refuses cross-site state-changing requests and puts
//! the security headers on every response (rules in `app::platform::security`).

use app::platform::security::{
    RequestOrigin, baseline_headers, content_security_policy, is_same_origin_request,
};
use app::platform::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Pages about one person (or the back office): never stored by a browser or a shared cache.
const PRIVATE_PREFIXES: &[&str] = &["/account", "/admin"];

fn header_str<'a>(headers: &'a HeaderMap, name: HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Applies the baseline to one request and its response.
pub async fn security_baseline(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let private_page = PRIVATE_PREFIXES
        .iter()
        .any(|p| request.uri().path().starts_with(p));
    let safe_method = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let mut response = if safe_method
        || is_same_origin_request(
            RequestOrigin {
                sec_fetch_site: header_str(
                    request.headers(),
                    HeaderName::from_static("sec-fetch-site"),
                ),
                origin: header_str(request.headers(), header::ORIGIN),
                host: header_str(request.headers(), header::HOST),
            },
            &state.config.public_url,
        ) {
        next.run(request).await
    } else {
        tracing::warn!("refused a cross-site {} request", request.method());
        (
            StatusCode::FORBIDDEN,
            "Cross-site requests are not accepted.",
        )
            .into_response()
    };

    let headers = response.headers_mut();
    for (name, value) in baseline_headers(state.config.public_url.starts_with("https://")) {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    if private_page {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(value) = HeaderValue::from_str(&content_security_policy(None)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}
