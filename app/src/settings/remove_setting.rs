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
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    let mut conn = state.conn("settings: acquire").await?;
    super::settings_service::remove(&mut conn, kind.trim(), &id).await?;
    let page = match kind.trim() {
        "tax" => "taxes",
        "coupon" => "coupons",
        _ => "shipping",
    };
    redirect_after_form_post(&format!("/admin/settings/{page}?saved=1"));
    Ok(())
}
