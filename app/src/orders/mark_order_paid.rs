use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{Problem, Thing};

/// Staff record that a bank transfer or cash on delivery was received.
#[server(endpoint = "admin/orders/mark-paid")]
pub async fn mark_order_paid(id: String) -> Result<(), AppError> {
    use super::lifecycle::{OrderError, PaidOutcome};
    use super::status_rules::Actor;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::{PaymentMethod, Permission, PublicId};

    let state = app_state()?;
    let session = authorize(&state, Access::Permission(Permission::ManageOrders)).await?;
    let id = PublicId::parse(id.trim())
        .map_err(|_| AppError::not_found(Thing::Order))?
        .to_string();
    let mut conn = state.conn("orders: acquire").await?;
    let order = super::order_facts::core(&mut conn, &id)
        .await
        .map_err(internal("orders: load"))?
        .ok_or_else(|| AppError::not_found(Thing::Order))?;
    drop(conn);
    if order.method == PaymentMethod::Card {
        return Err(AppError::conflict(Problem::CardPaymentsRecordedByProvider));
    }
    match super::lifecycle::mark_paid(
        &state.db,
        &id,
        &Actor::Staff(crate::identity::auth::who(&session)),
    )
    .await
    .map_err(OrderError::into_app_error)?
    {
        PaidOutcome::Paid => {
            // The mail the change queued goes out now, not at the next poll.
            state.jobs.wake();
            Ok(())
        }
        PaidOutcome::AlreadyPaid => Err(AppError::conflict(Problem::OrderAlreadyPaid)),
        PaidOutcome::WasCancelled => Err(AppError::conflict(Problem::OrderWasCancelled)),
    }
}
