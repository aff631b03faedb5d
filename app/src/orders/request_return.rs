use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// The customer asks to return a delivered order, saying why.
#[server(endpoint = "orders/request-return")]
pub async fn request_return(
    id: String,
    key: Option<String>,
    reason: String,
) -> Result<(), AppError> {
    use super::lifecycle::OrderError;
    use super::status_rules::Actor;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;
    use shop_types::OrderStatus;

    let state = app_state()?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::validation("reason", Problem::ReturnReasonTooLong));
    }
    let (order, _) = super::access::open_order(&state, &id, key.as_deref()).await?;
    super::lifecycle::transition(
        &state.db,
        &order.id,
        OrderStatus::ReturnRequested,
        &Actor::Customer,
        None,
        reason,
    )
    .await
    .map_err(OrderError::into_app_error)?;
    redirect_after_form_post(&super::order_url(&state, &order.id).await?);
    // Mails and push messages the change queued go out now, not at the next poll.
    state.jobs.wake();
    Ok(())
}
