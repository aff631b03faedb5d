//! Liveness and readiness probes for load balancers and orchestrators.

use app::platform::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// `/healthz`: the process is up and answering.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `/readyz`: the database answers, so requests can be served.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
