use super::views::CheckoutView;
use leptos::prelude::*;
use shop_types::AppError;

/// The caller's checkout: cart, entered details, shipping options, coupon, totals, and a fresh
/// idempotency key for the "Place order" form.
#[server(endpoint = "checkout/get", input = server_fn::codec::GetUrl)]
pub async fn get_checkout() -> Result<CheckoutView, AppError> {
    use super::views::AddressChoice;
    use crate::identity::auth::current_session;
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, ids::new_id, state::app_state};

    no_store();
    let state = app_state()?;
    let session = current_session(&state).await?;
    let cart = crate::cart::owner::caller_cart(&state, false).await?;
    let mut conn = state.conn("checkout: acquire").await?;
    let saved = match &session {
        Some(s) => crate::account::address_book::list(&mut conn, state.db.vault(), &s.user.id)
            .await
            .map_err(internal("checkout: addresses"))?
            .into_iter()
            .map(|a| AddressChoice {
                id: a.id,
                address: a.address,
            })
            .collect(),
        None => Vec::new(),
    };
    let user_id = session.as_ref().map(|s| s.user.id.as_str());
    if let Some(cart) = &cart {
        use crate::analytics::{EventKind, recorder};
        recorder::record_here(
            &state,
            recorder::Event::for_cart(EventKind::CheckoutStarted, cart),
        );
    }
    let mut priced = match &cart {
        Some(cart) => super::checkout_service::price(&mut conn, state.db.vault(), cart, user_id)
            .await
            .map_err(internal("checkout: price"))?,
        None => {
            // No cart yet: an empty checkout priced on nothing.
            super::checkout_service::price(&mut conn, state.db.vault(), "", user_id)
                .await
                .map_err(internal("checkout: price"))?
        }
    };
    if priced.details.email.is_empty()
        && let Some(s) = &session
    {
        priced.details.email = s.user.email.clone();
    }
    let key = format!("{}{}", new_id(), new_id());
    let methods = state.part::<crate::payments::Payments>().methods();
    Ok(super::checkout_service::to_view(
        priced,
        methods,
        session.is_some(),
        saved,
        key,
    ))
}
