//! `/media/<key>/<width>.webp`: product pictures at the sizes pages ask for.
//!
//! Keys are immutable (an edited picture gets a new key), so answers may be cached for a year.

use app::media::storage::{MediaError, sized};
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
    let root = state.config.media_dir.clone();
    let made = tokio::task::spawn_blocking(move || sized(&root, &key, width)).await;
    let path = match made {
        Ok(Ok(path)) => path,
        Ok(Err(MediaError::NotFound)) => return StatusCode::NOT_FOUND.into_response(),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "picture could not be made");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        Err(e) => {
            tracing::error!(error = %e, "picture task failed");
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
