use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{FieldName, Problem, Thing};

/// Staff move an order on: pack, ship (carrier and tracking number), deliver, cancel, handle
/// a return. Payments and refunds have their own endpoints.
#[server(endpoint = "admin/orders/status")]
pub async fn update_order_status(
    id: String,
    status: String,
    carrier: Option<String>,
    tracking_number: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    use super::lifecycle::{OrderError, Shipment};
    use super::status_rules::Actor;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::state::app_state;
    use shop_types::{OrderStatus, Permission, PublicId};

    let state = app_state()?;
    let session = authorize(&state, Access::Permission(Permission::ManageOrders)).await?;
    let to = OrderStatus::parse(status.trim())
        .ok_or_else(|| AppError::validation("status", Problem::StatusUnknown))?;
    let id = PublicId::parse(id.trim())
        .map_err(|_| AppError::not_found(Thing::Order))?
        .to_string();
    let note = note.unwrap_or_default();
    if note.chars().count() > 1000 {
        return Err(AppError::validation(
            "note",
            Problem::TooLongField {
                what: FieldName::Note,
                max: 1000,
            },
        ));
    }
    if to == OrderStatus::Cancelled
        && let Err(e) = super::payment_port::PaymentPort::of(&state).stop(&id).await
    {
        tracing::warn!(order = id, error = %e, "could not cancel the payment");
    }
    super::lifecycle::transition(
        &state.db,
        &id,
        to,
        &Actor::Staff(crate::identity::auth::who(&session)),
        Some(Shipment {
            carrier: carrier.unwrap_or_default(),
            tracking_number: tracking_number.unwrap_or_default(),
        }),
        note.trim(),
    )
    .await
    .map_err(OrderError::into_app_error)?;
    state.part::<crate::search::follower::Search>().changed();
    // Mails and push messages the change queued go out now, not at the next poll.
    state.jobs.wake();
    Ok(())
}
