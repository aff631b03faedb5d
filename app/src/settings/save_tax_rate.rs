use leptos::prelude::*;
use shop_types::AppError;

/// Adds or replaces the tax rate of a country (and optionally one of its regions).
#[server(endpoint = "admin/settings/tax")]
pub async fn save_tax_rate(
    country: String,
    region: Option<String>,
    name: String,
    rate: String,
) -> Result<(), AppError> {
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
    let region = region.unwrap_or_default();
    super::settings_service::save_tax(&mut tx, &country, &region, &name, &rate).await?;
    super::settings_service::audit_setting(
        &mut tx,
        &session,
        "settings.tax_rate_saved",
        "tax_rate",
        serde_json::json!({ "country": country, "region": region, "name": name, "rate": rate }),
    )
    .await?;
    tx.commit()
        .await
        .map_err(crate::platform::errors::internal("settings: commit"))?;
    redirect_after_form_post("/admin/settings/taxes?saved=1");
    Ok(())
}
