//! `POST /csp-report`: browsers report what the Content-Security-Policy blocked. Anyone can post
//! here, so each address may send `SHOP_CSP_REPORT_LIMIT` reports per 15 minutes (more are dropped with 429), bodies
//! are small (`limits`), and only well-formed reports are kept (`app::csp_reports::store`).

use app::csp_reports::store;
use app::platform::http::ClientIp;
use app::platform::rate_limit::{HitError, Limit, hit};
use app::platform::state::AppState;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use std::time::Duration;

const REPORT_WINDOW: Duration = Duration::from_secs(15 * 60);

pub async fn receive(
    State(state): State<AppState>,
    client: Option<Extension<ClientIp>>,
    body: Bytes,
) -> StatusCode {
    let client = client.map_or_else(|| "unknown".to_owned(), |c| c.0.limit_key());
    let limit = Limit {
        limit: state.config.csp_report_limit,
        window: REPORT_WINDOW,
    };
    match hit(&state.db, &format!("csp-report:ip:{client}"), limit).await {
        Ok(()) => {}
        Err(HitError::Limited(_)) => return StatusCode::TOO_MANY_REQUESTS,
        Err(HitError::Db(e)) => {
            tracing::error!(error = %e, "csp report: rate limit");
            return StatusCode::INTERNAL_SERVER_ERROR;
        }
    }
    let Some(reports) = store::parse(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    match store::record(&state.db, &reports).await {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(e) => {
            tracing::error!(error = %e, "csp report: record");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}
