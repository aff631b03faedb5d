use leptos::prelude::*;
use shop_types::AppError;

/// Sends the shopper to the payment page of an unpaid card order (a new attempt after a
/// declined card, or the first one if starting it failed). Returns the address to go to.
#[server(endpoint = "orders/pay")]
pub async fn pay_order(id: String, key: Option<String>) -> Result<String, AppError> {
    use crate::platform::state::app_state;

    let state = app_state()?;
    let (order, _) = super::access::open_order(&state, &id, key.as_deref()).await?;
    let next = super::payment_port::PaymentPort::of(&state)
        .start(&order.id)
        .await
        .map_err(super::lifecycle::OrderError::into_app_error)?;
    let url = match next {
        Some(url) => url,
        None => super::order_url(&state, &order.id).await?,
    };
    leptos_axum::redirect(&url);
    Ok(url)
}
