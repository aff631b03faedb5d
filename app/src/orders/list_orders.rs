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

/// Orders for staff, newest first, 50 a page, optionally of one status.
#[server(endpoint = "admin/orders/list")]
pub async fn list_orders(
    status: Option<String>,
    page: Option<u32>,
) -> Result<Vec<AdminOrderRow>, AppError> {
    use crate::account::auth::{Access, authorize};
    use crate::account::server_support::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Currency;
    use sqlx::Row;

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageOrders),
    )
    .await?;
    let status = status
        .filter(|s| !s.is_empty())
        .map(|s| {
            OrderStatus::parse(&s).ok_or_else(|| AppError::validation("status", "Choose a status."))
        })
        .transpose()?;
    let offset = i64::from(page.unwrap_or(0).min(100_000)) * 50;
    let mut conn = state.conn("orders: acquire").await?;
    let rows = sqlx::query(
        "SELECT id, number, status, email, created_at, total_minor, currency, payment_method FROM orders
         WHERE ($1 = '' OR status = $1) ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET $2",
    )
    .bind(status.map(|s| s.as_str()).unwrap_or(""))
    .bind(offset)
    .fetch_all(&mut *conn)
    .await
    .map_err(internal("orders: list"))?;
    rows.iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            let method: String = r.try_get("payment_method")?;
            let currency: String = r.try_get("currency")?;
            Ok(AdminOrderRow {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                status: OrderStatus::parse(&status).unwrap_or(OrderStatus::AwaitingPayment),
                email: r.try_get("email")?,
                placed_at: Timestamp(r.try_get("created_at")?),
                total: Money::new(
                    r.try_get("total_minor")?,
                    Currency::parse(&currency).unwrap_or(Currency::EUR),
                ),
                payment_method: PaymentMethod::parse(&method).unwrap_or(PaymentMethod::Card),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(internal("orders: list"))
}
