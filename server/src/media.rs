//! `/media/<key>/<width>.webp`: product pictures at the sizes pages ask for.
//!
//! Keys are immutable (an edited picture gets a new key), so answers may be cached for a year.
//! Copies are made by the state's `Resizer`: a few at a time, once per copy.

use app::media::storage::{MediaError, Resizer};
use app::platform::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn picture(
    State(state): State<AppState>,
    Path((key, file)): Path<(String, String)>,
) -> Response {
    let Some(width) = file
        .strip_suffix(".webp")
        .and_then(|w| w.parse::<u32>().ok())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let path = match state.part::<Resizer>().sized(&key, width).await {
        Ok(path) => path,
        Err(MediaError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(MediaError::Busy) => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, HeaderValue::from_static("5"))],
            )
                .into_response();
        }
        Err(e) => {
            tracing::error!(error = %e, "picture could not be made");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("image/webp")),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, path = %path.display(), "picture could not be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
