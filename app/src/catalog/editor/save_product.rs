use super::editor_views::{ProductInput, VariantInput};
use leptos::prelude::*;
use shop_types::AppError;
use std::collections::BTreeMap;

/// Creates (no `id`) or saves a product with its variants (`variants[<n>][field]`). Answers
/// with the product's id and opens its editor.
#[server(endpoint = "admin/products/save")]
pub async fn save_product(
    id: Option<String>,
    product: ProductInput,
    #[server(default)] variants: BTreeMap<String, VariantInput>,
) -> Result<String, AppError> {
    use super::editor_service::{Reach, save_product};
    use super::product_form::{EditorError, read_submission};
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let currency = {
        let mut conn = state.conn("editor: acquire").await?;
        crate::store::queries::store_currency(&mut conn)
            .await
            .map_err(internal("editor: currency"))?
    };
    let form = read_submission(id, &product, variants, currency)?;
    let saved = save_product(
        &state.db,
        form.id.as_deref(),
        &form.product,
        &form.variants,
        &crate::identity::auth::who(&session),
        Reach::Shop,
    )
    .await
    .map_err(EditorError::into_app_error)?;
    state.part::<crate::search::follower::Search>().changed();
    leptos_axum::redirect(&format!("/admin/products/{saved}?saved=1"));
    Ok(saved)
}
