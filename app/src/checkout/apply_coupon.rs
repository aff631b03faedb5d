use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Applies a coupon code to the checkout (an empty code removes it). Whether it still counts
/// is decided again when the order is placed. Codes are worth guessing, so tries are limited:
/// [`COUPON_TRIES`] per 15 minutes from one address and from one cart.
/// Coupon codes one address (or one cart) may try per 15 minutes.
pub const COUPON_TRIES: i64 = 20;

#[server(endpoint = "checkout/coupon")]
pub async fn apply_coupon(code: String) -> Result<(), AppError> {
    use crate::coupons::rules as coupons;
    use crate::identity::auth::current_session;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{clock::now, errors::internal, state::app_state};

    let state = app_state()?;
    let session = current_session(&state).await?;
    let cart = crate::cart::owner::caller_cart(&state, false)
        .await?
        .ok_or_else(|| AppError::validation("code", Problem::CartEmpty))?;
    let mut conn = state.conn("checkout: acquire").await?;
    if code.trim().is_empty() {
        super::checkout_service::save_coupon(&mut conn, &cart, None)
            .await
            .map_err(internal("checkout: coupon"))?;
        redirect_after_form_post("/checkout#coupon");
        return Ok(());
    }
    {
        use crate::platform::http::client_ip;
        use crate::platform::rate_limit::limit_attempts;
        limit_attempts(
            &state.db,
            &format!("coupon:ip:{}", client_ip()),
            COUPON_TRIES,
        )
        .await?;
        limit_attempts(&state.db, &format!("coupon:cart:{cart}"), COUPON_TRIES).await?;
    }
    let code = coupons::normalise_code(&code)
        .ok_or_else(|| AppError::validation("code", Problem::CouponUnknown))?;
    let coupon = coupons::find(&mut conn, &code)
        .await
        .map_err(internal("checkout: coupon"))?
        .ok_or_else(|| AppError::validation("code", Problem::CouponUnknown))?;
    let priced = super::checkout_service::price(
        &mut conn,
        state.db.vault(),
        &cart,
        session.as_ref().map(|s| s.user.id.as_str()),
    )
    .await
    .map_err(internal("checkout: price"))?;
    let subtotal = priced.cart.subtotal.map(|m| m.minor).unwrap_or(0);
    let key = coupons::customer_key(
        session.as_ref().map(|s| s.user.id.as_str()),
        &state.db.vault().email_index(&priced.details.email),
    );
    let used = coupons::uses_by(&mut conn, &coupon.id, &key)
        .await
        .map_err(internal("checkout: coupon"))?;
    coupon
        .check(now(), subtotal, priced.terms.currency, used)
        .map_err(|e| AppError::validation("code", &e))?;
    super::checkout_service::save_coupon(&mut conn, &cart, Some(&coupon.code))
        .await
        .map_err(internal("checkout: coupon"))?;
    redirect_after_form_post("/checkout#coupon");
    Ok(())
}
