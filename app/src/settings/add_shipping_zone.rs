use leptos::prelude::*;
use shop_types::AppError;

/// Adds a shipping zone.
#[server(endpoint = "admin/settings/zone")]
pub async fn add_shipping_zone(name: String, countries: String) -> Result<(), AppError> {
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
    super::settings_service::add_zone(&mut conn, &name, &countries).await?;
    redirect_after_form_post("/admin/settings/shipping?saved=1");
    Ok(())
}
