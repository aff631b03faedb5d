use leptos::prelude::*;
use shop_types::AppError;

/// Adds a shipping rate to a zone.
#[server(endpoint = "admin/settings/rate")]
#[allow(clippy::too_many_arguments)]
pub async fn add_shipping_rate(
    zone_id: String,
    name: String,
    kind: String,
    price: String,
    per_kg: Option<String>,
    min_weight_g: Option<String>,
    max_weight_g: Option<String>,
    free_over: Option<String>,
    delivery_days: Option<String>,
) -> Result<(), AppError> {
    use super::settings_service::{RateForm, add_rate};
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    let mut tx = state.write("settings: begin").await?;
    let currency = crate::store::queries::current(&mut tx)
        .await
        .map_err(internal("settings: currency"))?
        .currency;
    let form = RateForm {
        zone_id,
        name,
        kind,
        price,
        per_kg: per_kg.unwrap_or_default(),
        min_weight_g: min_weight_g.unwrap_or_default(),
        max_weight_g: max_weight_g.unwrap_or_default(),
        free_over: free_over.unwrap_or_default(),
        delivery_days: delivery_days.unwrap_or_default(),
    };
    add_rate(&mut tx, &form, currency).await?;
    super::settings_service::audit_setting(
        &mut tx,
        &session,
        "settings.shipping_rate_added",
        &format!("shipping_zone:{}", form.zone_id.trim()),
        serde_json::json!({ "name": form.name, "kind": form.kind, "price": form.price,
            "per_kg": form.per_kg, "min_weight_g": form.min_weight_g, "max_weight_g": form.max_weight_g,
            "free_over": form.free_over, "delivery_days": form.delivery_days }),
    )
    .await?;
    tx.commit().await.map_err(internal("settings: commit"))?;
    redirect_after_form_post("/admin/settings/shipping?saved=1");
    Ok(())
}
