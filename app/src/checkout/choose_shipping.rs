use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Chooses one of the shipping rates offered for the entered address.
#[server(endpoint = "checkout/shipping")]
pub async fn choose_shipping(rate: String) -> Result<(), AppError> {
    use crate::identity::auth::current_session;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    let session = current_session(&state).await?;
    let cart = crate::cart::owner::caller_cart(&state, false)
        .await?
        .ok_or_else(|| AppError::validation("rate", Problem::CartEmpty))?;
    let mut conn = state.conn("checkout: acquire").await?;
    let priced = super::checkout_service::price(
        &mut conn,
        state.db.vault(),
        &cart,
        session.as_ref().map(|s| s.user.id.as_str()),
    )
    .await
    .map_err(internal("checkout: price"))?;
    if !priced.options.iter().any(|(r, _)| r.id == rate.trim()) {
        return Err(AppError::validation("rate", Problem::ShippingRateUnknown));
    }
    super::checkout_service::save_shipping(&mut conn, &cart, rate.trim())
        .await
        .map_err(internal("checkout: shipping"))?;
    redirect_after_form_post("/checkout#review");
    Ok(())
}
