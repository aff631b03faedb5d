use super::staff_views::OrderWorkbench;
use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Thing;

/// The staff-only side of an order: what is left to send, shipments, notes, locations.
#[server(endpoint = "admin/orders/workbench")]
pub async fn get_order_workbench(id: String) -> Result<OrderWorkbench, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::{Permission, PublicId};

    no_store();
    let state = app_state()?;
    authorize(&state, Access::Permission(Permission::ManageOrders)).await?;
    let id = PublicId::parse(id.trim())
        .map_err(|_| AppError::not_found(Thing::Order))?
        .to_string();
    let mut conn = state.conn("workbench: acquire").await?;
    super::workbench::workbench(&mut conn, &id)
        .await
        .map_err(internal("workbench: read"))
}
