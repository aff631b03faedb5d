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
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    let mut conn = state.conn("settings: acquire").await?;
    super::settings_service::save_tax(
        &mut conn,
        &country,
        region.as_deref().unwrap_or(""),
        &name,
        &rate,
    )
    .await?;
    redirect_after_form_post("/admin/settings/taxes?saved=1");
    Ok(())
}
