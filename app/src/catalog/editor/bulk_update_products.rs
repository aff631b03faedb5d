use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Changes many products at once (`ids[<n>]` = product id, as the list's checkboxes send them):
/// `action` is publish, draft, archive, price (with `percent`) or stock (with `units`, the
/// count at the first stock location for every variant); `percent`
/// (for price) raises or lowers every variant's price, e.g. "-10" or "5.5".
#[server(endpoint = "admin/products/bulk")]
pub async fn bulk_update_products(
    #[server(default)] ids: std::collections::BTreeMap<String, String>,
    action: String,
    percent: Option<String>,
    units: Option<String>,
) -> Result<u64, AppError> {
    use super::editor_service::{BulkAction, bulk};
    use super::product_form::EditorError;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;
    use shop_types::PublicId;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    if ids.is_empty() {
        return Err(AppError::validation("ids", Problem::ProductsNotSelected));
    }
    if ids.len() > 500 {
        return Err(AppError::validation(
            "ids",
            Problem::TooManyProductsSelected,
        ));
    }
    let ids: Vec<String> = ids
        .values()
        .map(|i| PublicId::parse(i.trim()).map(|p| p.to_string()))
        .collect::<Result<_, _>>()
        .map_err(|_| AppError::validation("ids", Problem::SelectedProductUnknown))?;
    let action = match action.trim() {
        "publish" => BulkAction::SetStatus("active"),
        "draft" => BulkAction::SetStatus("draft"),
        "archive" => BulkAction::SetStatus("archived"),
        "price" => {
            let text = percent.unwrap_or_default();
            let bp = crate::ui::parse_percent(&text)
                .filter(|bp| *bp != 0 && (-9000..=100_000).contains(bp))
                .ok_or_else(|| AppError::validation("percent", Problem::PriceChangeInvalid))?;
            BulkAction::AdjustPrice(bp)
        }
        "stock" => {
            let units = units
                .unwrap_or_default()
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|u| (0..=1_000_000).contains(u))
                .ok_or_else(|| AppError::validation("units", Problem::StockUnitsInvalid))?;
            BulkAction::SetStock {
                units,
                actor: format!("staff:{}", session.user.id),
            }
        }
        _ => {
            return Err(AppError::validation("action", Problem::BulkActionUnknown));
        }
    };
    let changed = bulk(
        &state.db,
        &ids,
        &action,
        &crate::identity::auth::who(&session),
    )
    .await
    .map_err(EditorError::into_app_error)?;
    state.part::<crate::search::follower::Search>().changed();
    redirect_after_form_post(&format!("/admin/products?changed={changed}"));
    Ok(changed)
}
