use leptos::prelude::*;
use shop_types::AppError;

use super::editor_views::CollectionRow;

/// Every collection with its products.
#[server(endpoint = "admin/collections/list")]
pub async fn list_collections() -> Result<Vec<CollectionRow>, AppError> {
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
    let mut conn = state.conn("collections: acquire").await?;
    super::collections_service::list(&mut conn)
        .await
        .map_err(internal("collections: list"))
}

/// Creates a collection (`title`, optional `description`, `featured` "on" for the home page).
#[server(endpoint = "admin/collections/create")]
pub async fn create_collection(
    title: String,
    description: Option<String>,
    featured: Option<String>,
) -> Result<String, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let id = super::collections_service::create(
        &state.db,
        &crate::identity::auth::who(&session),
        &title,
        description.as_deref().unwrap_or(""),
        featured.is_some_and(|f| f == "on"),
    )
    .await?;
    state.part::<crate::search::follower::Search>().changed();
    redirect_after_form_post("/admin/collections?saved=1");
    Ok(id)
}

/// Adds or removes a product (`product`: handle or SKU), or features the collection.
#[server(endpoint = "admin/collections/change")]
pub async fn change_collection(
    id: String,
    action: String,
    product: Option<String>,
) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    super::collections_service::change(
        &state.db,
        &crate::identity::auth::who(&session),
        id.trim(),
        action.trim(),
        product.as_deref().unwrap_or(""),
    )
    .await?;
    state.part::<crate::search::follower::Search>().changed();
    redirect_after_form_post("/admin/collections?saved=1");
    Ok(())
}
