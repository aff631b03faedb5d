use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Thing;

/// Adds `quantity` (default 1) of a variant to the caller's cart. Stock and limits are checked
/// here; the price is never taken from the caller.
#[server(endpoint = "cart/add")]
pub async fn add_to_cart(
    variant_id: String,
    quantity: Option<String>,
    // "1999 EUR", the price the page showed: read only by the service worker when it keeps
    // the change offline (the server always prices from the catalog).
    seen_price: Option<String>,
) -> Result<u32, AppError> {
    let _ = seen_price;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::{PublicId, Quantity};

    let state = app_state()?;
    let variant = PublicId::parse(variant_id.trim())
        .map_err(|_| AppError::not_found(Thing::Item))?
        .to_string();
    let quantity = Quantity::parse(quantity.as_deref().unwrap_or("1"))
        .map_err(|e| AppError::validation("quantity", e))?;
    let cart = super::owner::caller_cart(&state, true)
        .await?
        .ok_or_else(|| internal("cart: add")("no cart"))?;
    let mut conn = state.conn("cart: acquire").await?;
    super::cart_service::add(&mut conn, &cart, &variant, quantity)
        .await
        .map_err(super::cart_service::CartError::into_app_error)?;
    let view = super::cart_service::view(&mut conn, &cart)
        .await
        .map_err(internal("cart: view"))?;
    {
        use crate::analytics::{EventKind, recorder};
        let product: Option<String> =
            sqlx::query_scalar("SELECT product_id FROM variants WHERE id = $1")
                .bind(&variant)
                .fetch_optional(&mut *conn)
                .await
                .map_err(internal("cart: product of variant"))?;
        let mut event = recorder::Event::for_cart(EventKind::AddToCart, &cart);
        if let Some(product) = product {
            event = event.product(&product);
        }
        recorder::record_here(&state, event);
    }
    redirect_after_form_post("/cart?done=added");
    Ok(view.units)
}
