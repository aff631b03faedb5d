use super::views::OrderSummary;
use leptos::prelude::*;
use shop_types::AppError;

/// The signed-in customer's orders, newest first, 20 per page.
#[server(endpoint = "orders/mine", input = server_fn::codec::GetUrl)]
pub async fn list_my_orders(page: Option<u32>) -> Result<Vec<OrderSummary>, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let mut conn = state.conn("orders: acquire").await?;
    super::order_queries::history(
        &mut conn,
        &session.user.id,
        i64::from(page.unwrap_or(0).min(10_000)),
    )
    .await
    .map_err(internal("orders: history"))
}
