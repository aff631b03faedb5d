//! Who may see and act on an order: its account, whoever holds its link key, or staff with
//! the orders permission. Anyone else is told it does not exist.

use super::links;
use super::order_facts::{self, Core};
use crate::identity::auth::current_session;
use crate::platform::errors::internal;
use crate::platform::state::AppState;
use shop_types::Thing;
use shop_types::{AppError, Permission, PublicId};

/// How the caller reached the order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// The account that placed it.
    Owner,
    /// A guest with the order's link.
    LinkHolder,
    /// Staff with the orders permission.
    Staff(crate::platform::audit_trail::Who),
}

/// The order, if the caller may see it.
pub async fn open_order(
    state: &AppState,
    order_id: &str,
    key: Option<&str>,
) -> Result<(Core, Viewer), AppError> {
    let id = PublicId::parse(order_id.trim()).map_err(|_| AppError::not_found(Thing::Order))?;
    let mut conn = state.conn("orders: acquire").await?;
    let order = order_facts::core(&mut conn, &id.to_string())
        .await
        .map_err(internal("orders: load"))?
        .ok_or_else(|| AppError::not_found(Thing::Order))?;
    drop(conn);
    let session = current_session(state).await?;
    if let Some(s) = &session
        && order.user_id.as_deref() == Some(s.user.id.as_str())
    {
        return Ok((order, Viewer::Owner));
    }
    if let Some(key) = key.filter(|k| !k.is_empty() && k.len() <= 100)
        && links::key_matches(key, &order.access_hash)
    {
        return Ok((order, Viewer::LinkHolder));
    }
    if let Some(s) = session
        && s.user.has_permission(Permission::ManageOrders)
    {
        return Ok((order, Viewer::Staff(crate::identity::auth::who(&s))));
    }
    Err(AppError::not_found(Thing::Order))
}
