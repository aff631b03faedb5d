use leptos::prelude::*;
use shop_types::AppError;

/// Units in the caller's cart (lines saved for later not counted), for the header's badge on
/// every page: one sum, not the priced cart (0 for a shopper who has no cart).
#[server(endpoint = "cart/units")]
pub async fn get_cart_units() -> Result<u32, AppError> {
    use crate::platform::{errors::internal, state::app_state};
    let state = app_state()?;
    let Some(cart) = super::owner::caller_cart(&state, false).await? else {
        return Ok(0);
    };
    let mut conn = state.conn("cart: acquire").await?;
    super::cart_service::units(&mut conn, &cart)
        .await
        .map_err(internal("cart: units"))
}
