//! Limits that keep one client from exhausting the server: how large a request body may be
//! (by route), how many requests one client may have in flight, and how long a request may
//! take. Time limits on the connection itself (slow headers, idle keep-alive) are set where
//! connections are accepted (`listener`).

use app::platform::http::ClientIp;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::ServerFn;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Bodies of ordinary requests: forms and JSON are small (an offline sync of 100 changes is
/// about 20 KB).
pub const DEFAULT_BODY_LIMIT: usize = 128 * 1024;
/// Provider webhooks.
pub const WEBHOOK_BODY_LIMIT: usize = 256 * 1024;
/// A browser's violation report (or a small batch of them).
pub const CSP_REPORT_BODY_LIMIT: usize = 32 * 1024;
/// Room for the form around an uploaded file.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// The largest body `path` accepts: uploads take their file's limit, everything else little.
pub fn body_limit(path: &str) -> usize {
    let uploads = [
        (
            app::catalog::csv::StartImport::PATH,
            app::catalog::csv::import_service::MAX_FILE_BYTES,
        ),
        (
            app::catalog::editor::UploadProductImage::PATH,
            app::catalog::editor::MAX_IMAGE_BYTES,
        ),
        (
            app::vendors::UploadVendorProductImage::PATH,
            app::catalog::editor::MAX_IMAGE_BYTES,
        ),
        (
            app::vendors::UploadVendorPicture::PATH,
            app::vendors::MAX_VENDOR_PICTURE_BYTES,
        ),
        (
            app::settings::UploadStoreLogo::PATH,
            app::settings::MAX_LOGO_BYTES,
        ),
    ];
    if let Some((_, max)) = uploads.iter().find(|(route, _)| *route == path) {
        return max + MULTIPART_OVERHEAD;
    }
    if path.starts_with("/webhooks/") {
        return WEBHOOK_BODY_LIMIT;
    }
    if path == shop_types::paths::CSP_REPORT {
        return CSP_REPORT_BODY_LIMIT;
    }
    DEFAULT_BODY_LIMIT
}

/// Refuses a body larger than its route allows: at once (413) when `Content-Length` says so,
/// and by cutting the stream off when a body without one grows past it.
pub async fn body_limits(request: Request, next: Next) -> Response {
    let limit = body_limit(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
    }
    let request = request.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

/// Requests in flight per client.
#[derive(Clone)]
pub struct ClientSlots {
    max: usize,
    busy: Arc<Mutex<HashMap<String, usize>>>,
}

impl ClientSlots {
    pub fn new(max: usize) -> Self {
        Self {
            max: max.max(1),
            busy: Arc::default(),
        }
    }

    fn take(&self, client: String) -> Option<Slot> {
        let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        let count = busy.entry(client.clone()).or_insert(0);
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(Slot {
            slots: self.clone(),
            client,
        })
    }

    /// Clients with requests in flight now (tests).
    pub fn clients(&self) -> usize {
        self.busy.lock().map(|b| b.len()).unwrap_or(0)
    }
}

/// One request's place; given back when the request ends, however it ends.
struct Slot {
    slots: ClientSlots,
    client: String,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut busy = self.slots.busy.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = busy.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                busy.remove(&self.client);
            }
        }
    }
}

/// Answers 429 when the client (as `client_address` judged it; IPv6 per /64) already has
/// `SHOP_CLIENT_CONCURRENCY` requests in flight, so one client cannot take every worker and
/// connection of the server.
pub async fn client_concurrency(
    State(slots): State<ClientSlots>,
    request: Request,
    next: Next,
) -> Response {
    let client = request
        .extensions()
        .get::<ClientIp>()
        .map(ClientIp::limit_key)
        .unwrap_or_else(|| "unknown".to_owned());
    let Some(slot) = slots.take(client) else {
        tracing::warn!("refused a request: the client has too many in flight");
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, HeaderValue::from_static("1"))],
            "Too many requests at once.",
        )
            .into_response();
    };
    let response = next.run(request).await;
    // The place is held until the answer has started; its body streams on its own.
    drop(slot);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_may_be_large_and_everything_else_is_small() {
        assert!(body_limit(app::catalog::csv::StartImport::PATH) > 50 * 1024 * 1024);
        assert!(body_limit(app::settings::UploadStoreLogo::PATH) > 2 * 1024 * 1024);
        assert_eq!(body_limit("/api/account/sign-in"), DEFAULT_BODY_LIMIT);
        assert_eq!(body_limit("/webhooks/stripe"), WEBHOOK_BODY_LIMIT);
    }

    #[test]
    fn a_client_gets_its_places_back_when_requests_end() {
        let slots = ClientSlots::new(2);
        let a = slots.take("203.0.113.9".into()).unwrap();
        let _b = slots.take("203.0.113.9".into()).unwrap();
        assert!(slots.take("203.0.113.9".into()).is_none());
        assert!(
            slots.take("198.51.100.1".into()).is_some(),
            "others are not affected"
        );
        drop(a);
        assert!(slots.take("203.0.113.9".into()).is_some());
    }
}
