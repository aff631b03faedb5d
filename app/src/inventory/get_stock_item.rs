use super::views::StockItem;
use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Thing;

/// A variant's stock at every location and the history of its changes.
#[server(endpoint = "admin/inventory/item")]
pub async fn get_stock_item(id: String) -> Result<StockItem, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let mut conn = state.conn("inventory: acquire").await?;
    super::queries::item(&mut conn, id.trim(), None)
        .await
        .map_err(internal("inventory: item"))?
        .ok_or_else(|| AppError::not_found(Thing::Item))
}
