use leptos::prelude::*;
use shop_types::AppError;

/// Saves what the marketplace asks of a vendor before it sells: at least
/// `vendor_min_products` products listed (0–1,000), and with `vendor_review_required` staff
/// review the completed checklist (otherwise submitting it approves the vendor at once).
#[server(endpoint = "admin/settings/vendors")]
pub async fn save_vendor_rules(
    vendor_min_products: String,
    #[server(default)] vendor_review_required: Option<String>,
) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::errors::internal;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    let review = vendor_review_required.is_some_and(|v| matches!(v.trim(), "on" | "true"));
    let mut tx = state.write("settings: begin").await?;
    let (min, review) =
        super::settings_service::save_vendor_rules(&mut tx, &vendor_min_products, review).await?;
    super::settings_service::audit_setting(
        &mut tx,
        &session,
        "settings.vendor_rules_saved",
        "store",
        serde_json::json!({ "min_products": min, "review_required": review }),
    )
    .await?;
    tx.commit().await.map_err(internal("settings: commit"))?;
    redirect_after_form_post("/admin/settings?saved=1#sellers");
    Ok(())
}
