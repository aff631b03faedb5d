use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{Problem, Thing};

/// Changes a line of the caller's cart: `quantity` sets it (0 removes), `save` = "true" moves
/// it to "saved for later" and "false" back into the cart.
#[server(endpoint = "cart/update")]
pub async fn update_cart_line(
    variant_id: String,
    quantity: Option<String>,
    save: Option<String>,
) -> Result<(), AppError> {
    use super::cart_service::{self, CartError};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;

    let state = app_state()?;
    let Some(cart) = super::owner::caller_cart(&state, false).await? else {
        return Err(AppError::not_found(Thing::Item));
    };
    let mut conn = state.conn("cart: acquire").await?;
    match (quantity.as_deref().map(str::trim), save.as_deref()) {
        (Some(q), _) => {
            let n: i64 = match q {
                "0" => 0,
                other => i64::from(
                    shop_types::Quantity::parse(other)
                        .map_err(|e| AppError::validation("quantity", e))?
                        .get(),
                ),
            };
            cart_service::set_quantity(&mut conn, &cart, &variant_id, n).await
        }
        (None, Some(save)) => {
            cart_service::set_saved(&mut conn, &cart, &variant_id, save == "true").await
        }
        (None, None) => return Err(AppError::validation("quantity", Problem::NothingToChange)),
    }
    .map_err(CartError::into_app_error)?;
    redirect_after_form_post("/cart");
    Ok(())
}
