//! `GET /admin/settings/emails/{index}`: one sample mail as the HTML document a customer's mail
//! program gets, shown in a sandboxed frame on the console's e-mails page. Mails style
//! themselves with `style` attributes, so this response has its own policy: those styles and
//! nothing else (no script, no request anywhere), framed only by the shop itself.

use crate::exports::refused;
use app::platform::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The policy of a mail preview.
pub const PREVIEW_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
     sandbox; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

pub async fn preview(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(index): Path<String>,
) -> Response {
    let Ok(index) = index.parse::<usize>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app::settings::mail_preview(&state, &headers, index).await {
        Ok(Some(html)) => {
            let mut response = html.into_response();
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(PREVIEW_POLICY),
            );
            h.insert(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("SAMEORIGIN"),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => refused(e),
    }
}
