use super::editor_views::{ProductInput, VariantInput};
use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{Problem, Thing};
use std::collections::BTreeMap;

/// Creates (no `id`) or saves a product with its variants (`variants[<n>][field]`). Answers
/// with the product's id and opens its editor.
#[server(endpoint = "admin/products/save")]
pub async fn save_product(
    id: Option<String>,
    product: ProductInput,
    #[server(default)] variants: BTreeMap<String, VariantInput>,
) -> Result<String, AppError> {
    use super::editor_service::save_product;
    use super::product_form::{EditorError, clean_product, clean_variants};
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::PublicId;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let id = id
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .map(|i| {
            PublicId::parse(&i)
                .map(|p| p.to_string())
                .map_err(|_| AppError::not_found(Thing::Product))
        })
        .transpose()?;
    if variants.len() > super::product_form::MAX_VARIANTS + 10 {
        return Err(AppError::validation(
            "variants",
            Problem::TooManyVariantRows,
        ));
    }
    // Rows in the order the form numbered them.
    let mut rows: Vec<(usize, VariantInput)> = variants
        .into_iter()
        .map(|(k, v)| {
            k.parse::<usize>()
                .map(|n| (n, v))
                .map_err(|_| AppError::validation("variants", Problem::VariantRowsMisnumbered))
        })
        .collect::<Result<_, _>>()?;
    rows.sort_by_key(|(n, _)| *n);
    let rows: Vec<VariantInput> = rows.into_iter().map(|(_, v)| v).collect();
    let clean = clean_product(&product).map_err(EditorError::into_app_error)?;
    let currency = {
        let mut conn = state.conn("editor: acquire").await?;
        crate::store::queries::store_currency(&mut conn)
            .await
            .map_err(internal("editor: currency"))?
    };
    let variants = clean_variants(&rows, &clean.option_names, currency)
        .map_err(EditorError::into_app_error)?;
    let saved = save_product(
        &state.db,
        id.as_deref(),
        &clean,
        &variants,
        &crate::identity::auth::who(&session),
    )
    .await
    .map_err(EditorError::into_app_error)?;
    state.part::<crate::search::follower::Search>().changed();
    leptos_axum::redirect(&format!("/admin/products/{saved}?saved=1"));
    Ok(saved)
}
