use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{FieldName, Problem, Thing};

/// Staff refund part or all of an order (through the payment provider for card orders).
#[server(endpoint = "admin/orders/refund")]
pub async fn refund_order(
    id: String,
    amount: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use super::lifecycle::OrderError;
    use super::status_rules::Actor;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::{Currency, Money, Permission, PublicId};

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
    let currency = Currency::parse(&order.currency).map_err(internal("orders: currency"))?;
    let amount =
        Money::parse_decimal(&amount, currency).map_err(|e| AppError::validation("amount", e))?;
    let reason = reason.unwrap_or_default();
    if reason.chars().count() > 500 {
        return Err(AppError::validation(
            "reason",
            Problem::TooLongField {
                what: FieldName::Reason,
                max: 500,
            },
        ));
    }
    super::payment_port::PaymentPort::of(&state)
        .refund(
            &id,
            amount.minor,
            reason.trim(),
            &Actor::Staff(crate::identity::auth::who(&session)),
        )
        .await
        .map_err(OrderError::into_app_error)?;
    // Mails and push messages the change queued go out now, not at the next poll.
    state.jobs.wake();
    Ok(())
}
