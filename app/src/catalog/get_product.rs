use super::ProductDetail;
use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Thing;

/// An active product by slug, for its page. Anyone may call it.
#[server(endpoint = "catalog/product")]
pub async fn get_product(slug: String) -> Result<ProductDetail, AppError> {
    use crate::catalog::favourites::store::{GUEST_COOKIE, parse_guest_cookie};
    use crate::identity::auth::{cookie_value, current_session};
    use crate::platform::{errors::internal, state::app_state};

    if slug.len() > 200 {
        return Err(AppError::not_found(Thing::Product));
    }
    let state = app_state()?;
    let session = current_session(&state).await?;
    // Staff who manage the catalog also see drafts, to preview them before publishing.
    let preview = session
        .as_ref()
        .is_some_and(|s| s.user.has_permission(shop_types::Permission::ManageCatalog));
    let viewer = session.map(|s| s.user.id);
    let mut conn = state.conn("product: acquire").await?;
    let mut product =
        super::queries::product_by_slug_in(&mut conn, &slug, viewer.as_deref(), preview)
            .await
            .map_err(internal("product: query"))?
            .ok_or_else(|| AppError::not_found(Thing::Product))?;
    crate::analytics::recorder::record_here(
        &state,
        crate::analytics::recorder::Event::product_view(&product.summary.id),
    );
    if viewer.is_none() {
        // A signed-out shopper's favourites live in a cookie.
        let guest = cookie_value(&state, GUEST_COOKIE).unwrap_or_default();
        product.favourite = parse_guest_cookie(&guest).contains(&product.summary.id);
    }
    Ok(product)
}
