use super::CartView;
use leptos::prelude::*;
use shop_types::AppError;

/// The caller's cart, priced now (an empty cart for a shopper who has none).
#[server(endpoint = "cart/get")]
pub async fn get_cart() -> Result<CartView, AppError> {
    use crate::platform::{errors::internal, state::app_state};
    let state = app_state()?;
    let Some(cart) = super::owner::caller_cart(&state, false).await? else {
        return Ok(CartView::default());
    };
    let mut conn = state.conn("cart: acquire").await?;
    super::cart_service::view(&mut conn, &cart)
        .await
        .map_err(internal("cart: view"))
}
