use leptos::prelude::*;
use shop_types::AppError;

/// Staff change a variant's stock at a location: `mode` add, remove or set (a count), with a
/// reason and an optional note. Recorded in the item's history.
#[server(endpoint = "admin/inventory/adjust")]
pub async fn adjust_stock(
    variant_id: String,
    location_id: String,
    mode: String,
    quantity: String,
    reason: String,
    note: Option<String>,
) -> Result<i64, AppError> {
    use super::inventory_service::{StockChange, change_stock};
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let change = StockChange {
        variant_id,
        location_id,
        mode,
        quantity,
        reason,
        note,
    };
    let who = crate::identity::auth::who(&session);
    let sellable = change_stock(&state, &who, &change, None).await?;
    redirect_after_form_post(&format!("/admin/inventory/{}", change.variant_id.trim()));
    Ok(sellable)
}
