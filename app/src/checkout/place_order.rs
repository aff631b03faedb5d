use super::views::PlacedOrder;
use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Places the order of the caller's checkout. `idempotency_key` comes from the form: sending
/// the same form twice returns the same order. Card orders go on to the payment page; the
/// others to their confirmation.
#[server(endpoint = "checkout/place")]
pub async fn place_order(
    idempotency_key: String,
    payment_method: String,
) -> Result<PlacedOrder, AppError> {
    use super::placement::{self, PlaceError, PlaceRequest};
    use crate::identity::auth::current_session;
    use crate::platform::state::app_state;
    use shop_types::PaymentMethod;

    let state = app_state()?;
    let method = PaymentMethod::parse(&payment_method)
        .ok_or_else(|| AppError::validation("payment_method", Problem::PaymentMethodMissing))?;
    if !state.part::<crate::payments::Payments>().offers(method) {
        return Err(AppError::validation(
            "payment_method",
            if method == PaymentMethod::Card {
                Problem::CardPaymentsUnavailable
            } else {
                Problem::PaymentMethodUnavailable
            },
        ));
    }
    let session = current_session(&state).await?;
    let cart = crate::cart::owner::caller_cart(&state, false)
        .await?
        .ok_or_else(|| AppError::validation("", Problem::CartEmpty))?;
    // Counted only for a caller with a cart: requests that cannot place anything must not
    // use up the allowance of everyone behind the same address.
    if state.config.order_rate_limit > 0 {
        use crate::platform::http::client_ip;
        use crate::platform::rate_limit::limit_attempts;
        limit_attempts(
            &state.db,
            &format!("order:ip:{}", client_ip()),
            state.config.order_rate_limit,
        )
        .await?;
    }
    let request = PlaceRequest {
        cart_id: cart.clone(),
        user_id: session.map(|s| s.user.id),
        idempotency_key: idempotency_key.trim().to_owned(),
        method,
        manual_window_days: state.config.manual_payment_days,
        // Only a public address says anything about a network: behind a proxy the shop was
        // not told about, or in development, every order would share the same one.
        client: crate::platform::http::client_addr()
            .filter(|ip| !crate::platform::outbound::is_private(*ip))
            .map(|_| crate::platform::http::client_ip()),
        device: {
            use crate::identity::auth::cookie_value;
            use shop_types::paths::cookies;
            cookie_value(&state, cookies::DEVICE).or_else(|| cookie_value(&state, cookies::CART))
        },
    };
    let placed = placement::place(&state.db, &request)
        .await
        .map_err(PlaceError::into_app_error)?;
    if placed.created {
        use crate::analytics::{EventKind, recorder};
        recorder::record_here(
            &state,
            recorder::Event::for_cart(EventKind::Purchase, &cart).value(placed.total_minor),
        );
    }
    if placed.sold_out_something {
        state.part::<crate::search::follower::Search>().changed();
    }
    state.jobs.wake();
    let confirmation = format!("/orders/{}?key={}", placed.order_id, placed.link_key);
    // An order the fraud rules cancelled is not paid for: its page says so.
    let next_url = if method == PaymentMethod::Card && !placed.refused {
        match crate::payments::payment_service::start(
            state.part::<crate::payments::Payments>(),
            &placed.order_id,
        )
        .await
        {
            Ok(Some(url)) => url,
            Ok(None) => confirmation,
            Err(e) => {
                // The order stands and holds its stock; its page offers "Pay now" again.
                tracing::warn!(order = placed.order_id, error = %e, "could not start the payment");
                confirmation
            }
        }
    } else {
        confirmation
    };
    leptos_axum::redirect(&next_url);
    Ok(PlacedOrder {
        order_id: placed.order_id,
        next_url,
    })
}
