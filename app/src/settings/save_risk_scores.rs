use leptos::prelude::*;
use shop_types::AppError;

/// Saves the risk scores that decide new orders: held for review from `risk_review_score`
/// (1–100), cancelled from `risk_cancel_score` (at least the review score; 101: never).
#[server(endpoint = "admin/settings/risk")]
pub async fn save_risk_scores(
    risk_review_score: String,
    risk_cancel_score: String,
) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::errors::internal;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    let mut tx = state.write("settings: begin").await?;
    let (review, cancel) =
        super::settings_service::save_risk_scores(&mut tx, &risk_review_score, &risk_cancel_score)
            .await?;
    super::settings_service::audit_setting(
        &mut tx,
        &session,
        "settings.risk_scores_saved",
        "store",
        serde_json::json!({ "review": review, "cancel": cancel }),
    )
    .await?;
    tx.commit().await.map_err(internal("settings: commit"))?;
    redirect_after_form_post("/admin/settings?saved=1#risk");
    Ok(())
}
