use super::editor_views::AdminProductPage;
use leptos::prelude::*;
use shop_types::AppError;

/// The console's product list: most recently changed first, 50 a page (keyset `after`),
/// narrowed by a search (title anywhere, or an exact SKU), status and category.
#[server(endpoint = "admin/products/list")]
pub async fn list_admin_products(
    q: Option<String>,
    status: Option<String>,
    category: Option<String>,
    after: Option<String>,
) -> Result<AdminProductPage, AppError> {
    use super::editor_queries::{ProductFilter, product_page};
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
    let filter = ProductFilter::read(q, status, category, after)?;
    let mut conn = state.conn("products: acquire").await?;
    product_page(&mut conn, &filter)
        .await
        .map_err(internal("products: list"))
}
