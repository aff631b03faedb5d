use leptos::prelude::*;
use shop_types::AppError;

/// Saves the store's name, contact details, currency, whether prices include tax, and the
/// low-stock threshold.
#[server(endpoint = "admin/settings/store")]
#[allow(clippy::too_many_arguments)]
pub async fn save_store_settings(
    name: String,
    support_email: Option<String>,
    contact_phone: Option<String>,
    contact_address: Option<String>,
    currency: String,
    prices_include_tax: Option<String>,
    low_stock_threshold: String,
) -> Result<(), AppError> {
    use super::settings_service::{StoreForm, save_store};
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    let form = StoreForm {
        name,
        support_email: support_email.unwrap_or_default(),
        contact_phone: contact_phone.unwrap_or_default(),
        contact_address: contact_address.unwrap_or_default(),
        currency,
        prices_include_tax: prices_include_tax.is_some_and(|v| v == "on" || v == "true"),
        low_stock_threshold,
    };
    let mut tx = state.write("settings: begin").await?;
    let before = super::settings_service::store_audit_view(&mut tx).await?;
    save_store(&mut tx, &form).await?;
    let after = super::settings_service::store_audit_view(&mut tx).await?;
    crate::platform::audit_trail::record_change(
        &mut tx,
        &crate::identity::auth::who(&session),
        "settings.store_saved",
        "store",
        &before,
        &after,
    )
    .await
    .map_err(crate::platform::errors::internal("settings: audit"))?;
    tx.commit()
        .await
        .map_err(crate::platform::errors::internal("settings: commit"))?;
    redirect_after_form_post("/admin/settings?saved=1");
    Ok(())
}
