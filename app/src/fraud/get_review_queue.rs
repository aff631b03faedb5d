use super::views::ReviewQueue;
use leptos::prelude::*;
use shop_types::AppError;

/// The risk review queue: held orders with their scores and reasons, then recent decisions.
/// Staff with the orders permission.
#[server(endpoint = "admin/risk")]
pub async fn get_review_queue() -> Result<ReviewQueue, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Permission;

    no_store();
    let state = app_state()?;
    authorize(&state, Access::Permission(Permission::ManageOrders)).await?;
    let mut conn = state.conn("risk: acquire").await?;
    super::review::queue(&mut conn, state.db.vault())
        .await
        .map_err(internal("risk: queue"))
}
