//! `POST /webhooks/{provider}`: payment providers report what happened to payments. The body
//! is checked against the provider's signature header (and its age) before anything is read;
//! an event seen before is acknowledged without being applied again.

use app::payments::payment_service::{self, ReceiveError};
use app::platform::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};

/// Largest webhook body accepted (also enforced while it streams, by `limits`).
const MAX_BODY: usize = crate::limits::WEBHOOK_BODY_LIMIT;

pub async fn receive(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    if body.len() > MAX_BODY {
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    let signature = headers
        .get(
            state
                .part::<app::payments::Payments>()
                .provider
                .signature_header(),
        )
        .and_then(|v| v.to_str().ok());
    match payment_service::receive_webhook(
        state.part::<app::payments::Payments>(),
        &provider,
        signature,
        &body,
    )
    .await
    {
        Ok(applied) => {
            if applied {
                state.part::<app::search::follower::Search>().changed();
            }
            StatusCode::OK
        }
        Err(ReceiveError::UnknownProvider) => StatusCode::NOT_FOUND,
        Err(ReceiveError::Refused(e)) => {
            tracing::warn!(provider, error = %e, "webhook refused");
            StatusCode::BAD_REQUEST
        }
        Err(ReceiveError::Failed(e)) => {
            tracing::error!(provider, error = %e, "webhook could not be applied; the provider will retry");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}
