use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{FieldName, Problem, Thing};

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
    use super::inventory_service::{InventoryError, adjust, set_count};
    use super::views::REASONS;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let quantity: i64 = quantity
        .trim()
        .parse()
        .ok()
        .filter(|q| (0..=1_000_000).contains(q))
        .ok_or_else(|| AppError::validation("quantity", Problem::UnitsOutOfRange))?;
    let reason = reason.trim();
    if !REASONS.iter().any(|(r, _)| *r == reason) {
        return Err(AppError::validation("reason", Problem::ReasonUnknown));
    }
    let note = note.unwrap_or_default().trim().to_owned();
    if note.chars().count() > 500 {
        return Err(AppError::validation(
            "note",
            Problem::TooLongField {
                what: FieldName::Note,
                max: 500,
            },
        ));
    }
    let actor = format!("staff:{}", session.user.id);
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(internal("inventory: begin"))?;
    let result = match (mode.trim(), quantity > 0) {
        ("add" | "remove", false) => {
            return Err(AppError::validation("quantity", Problem::UnitsMissing));
        }
        (direction @ ("add" | "remove"), true) => {
            let delta = if direction == "add" {
                quantity
            } else {
                -quantity
            };
            adjust(
                &mut tx,
                variant_id.trim(),
                location_id.trim(),
                delta,
                reason,
                &note,
                &actor,
            )
            .await
        }
        ("set", _) => {
            set_count(
                &mut tx,
                variant_id.trim(),
                location_id.trim(),
                quantity,
                reason,
                &note,
                &actor,
            )
            .await
        }
        _ => return Err(AppError::validation("mode", Problem::AdjustModeUnknown)),
    };
    let adjusted = match result {
        Ok(a) => a,
        Err(InventoryError::Db(e)) => return Err(internal("inventory: adjust")(e)),
        Err(InventoryError::NotFound) => return Err(AppError::not_found(Thing::Item)),
        Err(e) => return Err(AppError::validation("quantity", e.problem())),
    };
    crate::platform::audit_trail::record(
        &mut tx,
        &crate::identity::auth::who(&session),
        "stock.adjusted",
        &format!("variant:{}", variant_id.trim()),
        None,
        Some(serde_json::json!({
            "location": location_id.trim(), "mode": mode.trim(), "quantity": quantity,
            "reason": reason, "note": note, "sellable": adjusted.sellable,
        })),
    )
    .await
    .map_err(internal("inventory: audit"))?;
    tx.commit().await.map_err(internal("inventory: commit"))?;
    if adjusted.crossed_zero {
        state.part::<crate::search::follower::Search>().changed();
    }
    redirect_after_form_post(&format!("/admin/inventory/{}", variant_id.trim()));
    Ok(adjusted.sellable)
}
