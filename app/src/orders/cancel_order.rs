use leptos::prelude::*;
use shop_types::AppError;

/// The customer cancels an order that is not paid yet; its stock and coupon use are given back.
#[server(endpoint = "orders/cancel")]
pub async fn cancel_order(id: String, key: Option<String>) -> Result<(), AppError> {
    use super::lifecycle::OrderError;
    use super::status_rules::Actor;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;
    use shop_types::OrderStatus;

    let state = app_state()?;
    let (order, viewer) = super::access::open_order(&state, &id, key.as_deref()).await?;
    let actor = match viewer {
        super::access::Viewer::Staff(who) => Actor::Staff(who),
        _ => Actor::Customer,
    };
    // Stop the payment first, so a card cannot be charged for a cancelled order.
    if let Err(e) = super::payment_port::PaymentPort::of(&state)
        .stop(&order.id)
        .await
    {
        tracing::warn!(order = order.id, error = %e, "could not cancel the payment");
    }
    super::lifecycle::transition(
        &state.db,
        &order.id,
        OrderStatus::Cancelled,
        &actor,
        None,
        "",
    )
    .await
    .map_err(OrderError::into_app_error)?;
    state.part::<crate::search::follower::Search>().changed();
    redirect_after_form_post(&super::order_url(&state, &order.id).await?);
    // Mails and push messages the change queued go out now, not at the next poll.
    state.jobs.wake();
    Ok(())
}
