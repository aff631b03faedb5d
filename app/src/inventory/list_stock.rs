use super::views::StockPage;
use leptos::prelude::*;
use shop_types::AppError;

/// Variants by SKU, 50 a page (keyset `after`), optionally those whose SKU starts with or
/// whose product title contains `q`, or only those at or below `low` units.
#[server(endpoint = "admin/inventory/list")]
pub async fn list_stock(
    q: Option<String>,
    low: Option<String>,
    after: Option<String>,
) -> Result<StockPage, AppError> {
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
    let (q, low) = super::inventory_service::read_stock_query(q, low)?;
    let mut conn = state.conn("inventory: acquire").await?;
    super::queries::page(
        &mut conn,
        q.as_deref(),
        low,
        after.as_deref().unwrap_or(""),
        None,
    )
    .await
    .map_err(internal("inventory: list"))
}
