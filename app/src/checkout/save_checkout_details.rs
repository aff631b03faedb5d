use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Keeps the shopper's e-mail and delivery address (typed, or one of their saved addresses by
/// `saved_address`), checked per country, and with `bill_elsewhere` a billing address
/// (`billing`, checked the same way; its errors name `billing.<field>`).
#[server(endpoint = "checkout/details")]
pub async fn save_checkout_details(
    email: String,
    #[server(default)] saved_address: Option<String>,
    #[server(default)] address: shop_types::AddressInput,
    #[server(default)] bill_elsewhere: Option<String>,
    #[server(default)] billing: shop_types::AddressInput,
) -> Result<(), AppError> {
    use crate::identity::auth::current_session;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Email;

    let state = app_state()?;
    let email = Email::parse(&email).map_err(|e| AppError::validation("email", e))?;
    let session = current_session(&state).await?;
    let mut conn = state.conn("checkout: acquire").await?;
    let chosen = saved_address.filter(|s| !s.trim().is_empty() && s != "new");
    let address = match (chosen, &session) {
        (Some(id), Some(session)) => {
            crate::account::address_book::list(&mut conn, state.db.vault(), &session.user.id)
                .await
                .map_err(internal("checkout: addresses"))?
                .into_iter()
                .find(|a| a.id == id.trim())
                .map(|a| a.address)
                .ok_or_else(|| {
                    AppError::validation("saved_address", Problem::SavedAddressUnknown)
                })?
        }
        (Some(_), None) => return Err(AppError::Unauthorized),
        (None, _) => address,
    };
    let address = address
        .validate()
        .map_err(|e| AppError::validation(e.field, e.problem))?;
    let billing = match bill_elsewhere.as_deref().map(str::trim) {
        Some("on" | "true") => Some(
            billing
                .validate()
                .map_err(|e| AppError::validation(format!("billing.{}", e.field), e.problem))?,
        ),
        _ => None,
    };
    drop(conn);
    let cart = crate::cart::owner::caller_cart(&state, true)
        .await?
        .ok_or_else(|| internal("checkout: cart")("no cart"))?;
    let mut conn = state.conn("checkout: acquire").await?;
    super::checkout_service::save_details(
        &mut conn,
        state.db.vault(),
        &cart,
        &email,
        &address,
        billing.as_ref(),
    )
    .await
    .map_err(internal("checkout: save details"))?;
    // Pick the cheapest rate for the new address, so the shopper can go straight on.
    let priced = super::checkout_service::price(
        &mut conn,
        state.db.vault(),
        &cart,
        session.as_ref().map(|s| s.user.id.as_str()),
    )
    .await
    .map_err(internal("checkout: price"))?;
    if priced.rate.is_none()
        && let Some((rule, _)) = priced.options.iter().min_by_key(|(_, p)| *p)
    {
        super::checkout_service::save_shipping(&mut conn, &cart, &rule.id)
            .await
            .map_err(internal("checkout: shipping"))?;
    }
    {
        use crate::analytics::{EventKind, recorder};
        recorder::record_here(
            &state,
            recorder::Event::for_cart(EventKind::CheckoutDetails, &cart),
        );
    }
    redirect_after_form_post("/checkout#shipping");
    Ok(())
}
