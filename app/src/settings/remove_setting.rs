use leptos::prelude::*;
use shop_types::AppError;

/// Removes a tax rate (`kind` tax), a shipping zone (zone) or rate (rate), or ends a coupon
/// now (coupon).
#[server(endpoint = "admin/settings/remove")]
pub async fn remove_setting(kind: String, id: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    let mut tx = state.write("settings: begin").await?;
    super::settings_service::remove(&mut tx, kind.trim(), &id).await?;
    super::settings_service::audit_setting(
        &mut tx,
        &session,
        "settings.removed",
        &format!("{}:{}", kind.trim(), id.trim()),
        serde_json::json!({ "removed": true }),
    )
    .await?;
    tx.commit()
        .await
        .map_err(crate::platform::errors::internal("settings: commit"))?;
    let page = match kind.trim() {
        "tax" => "taxes",
        "coupon" => "coupons",
        _ => "shipping",
    };
    redirect_after_form_post(&format!("/admin/settings/{page}?saved=1"));
    Ok(())
}
