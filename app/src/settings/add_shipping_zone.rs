use leptos::prelude::*;
use shop_types::AppError;

/// Adds a shipping zone.
#[server(endpoint = "admin/settings/zone")]
pub async fn add_shipping_zone(name: String, countries: String) -> Result<(), AppError> {
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
    super::settings_service::add_zone(&mut tx, &name, &countries).await?;
    super::settings_service::audit_setting(
        &mut tx,
        &session,
        "settings.shipping_zone_added",
        "shipping_zone",
        serde_json::json!({ "name": name, "countries": countries }),
    )
    .await?;
    tx.commit()
        .await
        .map_err(crate::platform::errors::internal("settings: commit"))?;
    redirect_after_form_post("/admin/settings/shipping?saved=1");
    Ok(())
}
