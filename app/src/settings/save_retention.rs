use leptos::prelude::*;
use shop_types::AppError;

/// Saves how many days each kind of data is kept (see `shop_types::retention`); the hourly
/// clean-up removes what is older. Audited.
#[server(endpoint = "admin/settings/retention")]
pub async fn save_retention(
    guest_carts: String,
    abandoned_checkouts: String,
    sign_in_records: String,
    analytics_events: String,
    mailbox: String,
    audit_log: String,
    erased_pseudonyms: String,
) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::errors::internal;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;
    use shop_types::retention::DataKind as K;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    let values = [
        (K::GuestCarts, guest_carts),
        (K::AbandonedCheckouts, abandoned_checkouts),
        (K::SignInRecords, sign_in_records),
        (K::AnalyticsEvents, analytics_events),
        (K::Mailbox, mailbox),
        (K::AuditLog, audit_log),
        (K::ErasedPseudonyms, erased_pseudonyms),
    ];
    let mut tx = state.write("settings: begin").await?;
    let saved = super::settings_service::save_retention(&mut tx, &values).await?;
    let after: serde_json::Map<String, serde_json::Value> = saved
        .iter()
        .map(|(k, d)| (k.as_str().to_owned(), serde_json::json!(d)))
        .collect();
    super::settings_service::audit_setting(
        &mut tx,
        &session,
        "settings.retention_saved",
        "store",
        serde_json::Value::Object(after),
    )
    .await?;
    tx.commit().await.map_err(internal("settings: commit"))?;
    redirect_after_form_post("/admin/settings?saved=1#retention");
    Ok(())
}
