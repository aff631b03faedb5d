use super::staff_views::OrderListPage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_types::{AppError, Money, OrderStatus, PaymentMethod, Timestamp};

/// One order in the staff list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOrderRow {
    pub id: String,
    pub number: i64,
    pub status: OrderStatus,
    pub email: String,
    pub placed_at: Timestamp,
    pub total: Money,
    pub payment_method: PaymentMethod,
}

/// Rows per page of the staff order list.
#[cfg(feature = "ssr")]
pub const ORDERS_PER_PAGE: i64 = 50;

/// The staff order list, newest first, 50 a page: filtered by status, payment method, a
/// search (an order number, or the start of the customer's e-mail) and placement dates
/// (`from`/`to` as `YYYY-MM-DD`, both days included). Pages are keyset cursors (`after`), so
/// page 2,000 costs what page 1 does.
#[server(endpoint = "admin/orders/list")]
#[allow(clippy::too_many_arguments)]
pub async fn list_orders(
    status: Option<String>,
    method: Option<String>,
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
    after: Option<String>,
) -> Result<OrderListPage, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageOrders),
    )
    .await?;
    let filter = super::order_list::OrderFilter::parse(status, method, q, from, to, after)?;
    let mut conn = state.conn("orders: acquire").await?;
    super::order_list::page(&mut conn, state.db.vault(), &filter)
        .await
        .map_err(internal("orders: list"))
}
