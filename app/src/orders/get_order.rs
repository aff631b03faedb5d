use super::views::OrderView;
use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Thing;

/// One order for its page. For an unpaid card order the provider is asked first, so a shopper
/// coming back from the payment page sees the outcome (paid, or why the card was declined).
#[server(endpoint = "orders/get", input = server_fn::codec::GetUrl)]
pub async fn get_order(id: String, key: Option<String>) -> Result<OrderView, AppError> {
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::{OrderStatus, PaymentMethod};

    no_store();
    let state = app_state()?;
    let (order, _) = super::access::open_order(&state, &id, key.as_deref()).await?;
    if order.status == OrderStatus::AwaitingPayment && order.method == PaymentMethod::Card {
        if let Err(e) = super::payment_port::PaymentPort::of(&state)
            .refresh(&order.id)
            .await
        {
            tracing::warn!(order = order.id, error = %e, "could not ask the payment provider");
        }
        state.part::<crate::search::follower::Search>().changed();
    }
    let mut conn = state.conn("orders: acquire").await?;
    let store = crate::store::queries::default_store(&mut conn)
        .await
        .map_err(internal("orders: store"))?
        .map(|s| s.name)
        .unwrap_or_default();
    super::order_queries::view(
        &mut conn,
        state.db.vault(),
        &order.id,
        &store,
        state.config.bank_details.as_deref(),
    )
    .await
    .map_err(internal("orders: view"))?
    .ok_or_else(|| AppError::not_found(Thing::Order))
}
