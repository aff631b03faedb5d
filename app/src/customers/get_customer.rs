use super::views::CustomerDetail;
use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Thing;

/// One customer: profile, their latest 50 orders and their addresses.
#[server(endpoint = "admin/customers/get")]
pub async fn get_customer(id: String) -> Result<CustomerDetail, AppError> {
    use super::queries::{CUSTOMER_COLUMNS, customer_rows};
    use crate::identity::auth::{Access, authorize};
    use crate::orders::order_list::{OrderFilter, rows};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use sqlx::Row;

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCustomers),
    )
    .await?;
    let mut conn = state.conn("customer: acquire").await?;
    let r = sqlx::query(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM users u WHERE u.id = $1 AND u.role = 'customer'"
    ))
    .bind(id.trim())
    .fetch_optional(&mut *conn)
    .await
    .map_err(internal("customer: read"))?
    .ok_or_else(|| AppError::not_found(Thing::Customer))?;
    let vault = state.db.vault();
    let verified = r
        .try_get::<Option<i64>, _>("email_verified_at")
        .map_err(internal("customer: row"))?
        .is_some();
    let row = customer_rows(&mut conn, vault, std::slice::from_ref(&r))
        .await
        .map_err(internal("customer: row"))?
        .pop()
        .ok_or_else(|| AppError::not_found(Thing::Customer))?;
    let newsletter: Option<String> = sqlx::query_scalar("SELECT id FROM newsletter_subscriptions WHERE email_index = $1 AND unsubscribed_at IS NULL LIMIT 1")
        .bind(vault.email_index(&row.email))
        .fetch_optional(&mut *conn)
        .await
        .map_err(internal("customer: newsletter"))?;
    // Orders placed while signed in, and guest orders with the same address.
    let orders = rows(
        &mut conn,
        vault,
        &OrderFilter {
            email: Some(row.email.clone()),
            ..OrderFilter::default()
        },
        50,
    )
    .await
    .map_err(internal("customer: orders"))?;
    let addresses = crate::account::address_book::list(&mut conn, vault, &row.id)
        .await
        .map_err(internal("customer: addresses"))?
        .into_iter()
        .map(|a| a.address)
        .collect();
    let two_step = crate::identity::factors::status(&mut conn, &row.id)
        .await
        .map_err(internal("customer: factors"))?
        .app;
    let passkeys = crate::identity::passkeys::list(&mut conn, &row.id)
        .await
        .map_err(internal("customer: passkeys"))?
        .len();
    Ok(CustomerDetail {
        row,
        verified,
        newsletter: newsletter.is_some(),
        two_step,
        passkeys,
        orders,
        addresses,
    })
}
