use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Sends a promotion to every device that opted in to offers (staff with the settings
/// permission). `url` is a page of this shop (`/collections/sale`).
#[server(endpoint = "admin/push/promotion")]
pub async fn send_promotion(title: String, body: String, url: String) -> Result<usize, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Permission;
    use shop_types::offline::PushMessage;
    let state = app_state()?;
    let session = authorize(&state, Access::Permission(Permission::ManageSettings)).await?;
    let title = title.trim();
    let body = body.trim();
    let url = url.trim();
    if title.is_empty() || title.chars().count() > 60 {
        return Err(AppError::validation("title", Problem::PromotionTitleLength));
    }
    if body.is_empty() || body.chars().count() > 200 {
        return Err(AppError::validation("body", Problem::PromotionBodyLength));
    }
    if !shop_types::paths::is_same_site_path(url) || url.len() > 500 {
        return Err(AppError::validation("url", Problem::PromotionUrlInvalid));
    }
    let message = PushMessage {
        title: title.to_owned(),
        body: body.to_owned(),
        url: url.to_owned(),
        tag: "promotion".into(),
    };
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(internal("push: begin"))?;
    let queued = super::alerts::promotion(&mut tx, &message)
        .await
        .map_err(internal("push: promotion"))?;
    crate::platform::audit_trail::record(
        &mut tx,
        &crate::identity::auth::who(&session),
        "promotion.sent",
        "push:promotion",
        None,
        Some(serde_json::json!({ "title": title, "body": body, "url": url, "devices": queued })),
    )
    .await
    .map_err(internal("push: audit"))?;
    tx.commit().await.map_err(internal("push: commit"))?;
    state.jobs.wake();
    redirect_after_form_post(&format!("/admin/settings/notifications?sent={queued}"));
    Ok(queued)
}
