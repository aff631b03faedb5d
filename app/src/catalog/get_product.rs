use super::ProductDetail;
use leptos::prelude::*;
use shop_types::AppError;

/// An active product by slug, for its page. Anyone may call it.
#[server(endpoint = "catalog/product")]
pub async fn get_product(slug: String) -> Result<ProductDetail, AppError> {
    use crate::account::auth::current_session;
    use crate::platform::{errors::internal, state::app_state};

    if slug.len() > 200 {
        return Err(AppError::not_found("Product"));
    }
    let state = app_state()?;
    let viewer = current_session(&state).await?.map(|s| s.user.id);
    let mut conn = state.conn("product: acquire").await?;
    super::queries::product_by_slug(&mut conn, &slug, viewer.as_deref())
        .await
        .map_err(internal("product: query"))?
        .ok_or_else(|| AppError::not_found("Product"))
}
