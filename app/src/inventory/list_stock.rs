use super::views::StockPage;
use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

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
    let q = q.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if q.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(AppError::validation(
            "q",
            Problem::SearchTooLong { max: 100 },
        ));
    }
    let low = low
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>()
                .ok()
                .filter(|n| (0..=1_000_000).contains(n))
                .ok_or_else(|| AppError::validation("low", Problem::WholeNumberInvalid))
        })
        .transpose()?;
    let mut conn = state.conn("inventory: acquire").await?;
    super::queries::page(&mut conn, q.as_deref(), low, after.as_deref().unwrap_or(""))
        .await
        .map_err(internal("inventory: list"))
}
