use super::admin_views::SettingsView;
use leptos::prelude::*;
use shop_types::AppError;

/// The console's settings: store details, tax rates, shipping zones and rates, coupons.
#[server(endpoint = "admin/settings/get")]
pub async fn get_settings() -> Result<SettingsView, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    let mut conn = state.conn("settings: acquire").await?;
    super::settings_service::settings(&mut conn)
        .await
        .map_err(internal("settings: read"))
}
