//! Middleware for the security baseline: refuses cross-site state-changing requests and puts
//! the security headers on every response (rules in `app::platform::security`), including the
//! Content-Security-Policy that carries each page's own nonce.

use app::platform::http::ClientIp;
use app::platform::security::{
    RequestOrigin, baseline_headers, content_security_policy, is_same_origin_request,
};
use app::platform::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use shop_types::paths::is_private_path;

fn header_str(headers: &HeaderMap, name: HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Judges where the request came from (`SHOP_TRUSTED_PROXIES`, see
/// `app::platform::http::ClientIp`) once, for rate limits and logs.
pub async fn client_address(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    if let Some(peer) = peer {
        let client = ClientIp::resolve(peer, request.headers(), &state.config.trusted_proxies);
        request.extensions_mut().insert(client);
    }
    next.run(request).await
}

/// Applies the baseline to one request and its response.
pub async fn security_baseline(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let private_page = is_private_path(request.uri().path());
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
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // A response with a policy of its own (a mail preview) keeps it.
    if headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        return response;
    }
    let payments = state.part::<app::payments::Payments>();
    let form_targets = payments.provider.form_target();
    let form_targets = form_targets.as_slice();
    if is_html {
        return with_page_policy(response, form_targets).await;
    }
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(None, form_targets)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// Largest page whose nonce we look for; pages are rendered whole before they are sent
/// (`SsrMode::Async`), so reading one back costs a copy, not latency.
pub(crate) const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// Gives an HTML page the policy that allows exactly its own inline scripts: the nonce Leptos
/// put on them (a fresh one per request) is read from the page itself. Doing it here, where
/// every page passes, means no page can go out with a policy that blocks its own hydration.
async fn with_page_policy(response: Response, form_targets: &[&str]) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "page too large").into_response();
    };
    let nonce = find_nonce(&bytes);
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(nonce, form_targets)) {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The first `nonce="..."` attribute value in a page, if it is a plausible nonce.
pub(crate) fn find_nonce(page: &[u8]) -> Option<&str> {
    const MARK: &[u8] = b"nonce=\"";
    let start = page.windows(MARK.len()).position(|w| w == MARK)? + MARK.len();
    let len = page[start..].iter().position(|&b| b == b'"')?;
    let nonce = std::str::from_utf8(&page[start..start + len]).ok()?;
    let plausible = (16..=64).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then_some(nonce)
}

#[cfg(test)]
mod tests {
    use super::find_nonce;

    #[test]
    fn finds_the_pages_nonce_and_ignores_junk() {
        assert_eq!(
            find_nonce(b"<script nonce=\"abcDEF123_-abcdefgh\">"),
            Some("abcDEF123_-abcdefgh")
        );
        assert_eq!(find_nonce(b"<p>no scripts</p>"), None);
        assert_eq!(find_nonce(b"<script nonce=\"x' 'unsafe-inline\">"), None);
        assert_eq!(find_nonce(b"<script nonce=\"short\">"), None);
    }
}
