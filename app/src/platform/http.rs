//! Facts about the HTTP request being served and small changes to its response, for server
//! functions and server-side renders.

/// The caller's IP address, for rate limits.
pub fn client_ip() -> String {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Tells shared caches and the browser's back/forward cache not to keep this response
/// (account pages, the console, anything personal).
pub fn no_store() {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
}
