//! Helpers for forms that must work without JavaScript.
//!
//! A plain HTML form posts straight to the server function's URL. Leptos then redirects back to
//! the page the form was on (with any error in the query string), but a success would leave no
//! trace on that page. Server functions call [`redirect_after_form_post`] to send such a
//! browser to a page that confirms the outcome instead; hydrated callers are left alone and
//! show the result in place.

use leptos::prelude::use_context;

/// If the current request is a plain form post (it accepts HTML), answer with a redirect to
/// `path`.
pub fn redirect_after_form_post(path: &str) {
    let accepts_html = use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false);
    if accepts_html {
        leptos_axum::redirect(path);
    }
}
