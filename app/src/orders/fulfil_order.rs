use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{FieldName, Problem, Thing};
use std::collections::HashMap;

/// Staff send some or all units of an order's lines: `quantities[<line position>] = units`,
/// from a stock location, with an optional carrier and tracking number.
#[server(endpoint = "admin/orders/fulfil")]
pub async fn fulfil_order(
    id: String,
    #[server(default)] quantities: HashMap<String, String>,
    location_id: Option<String>,
    carrier: Option<String>,
    tracking_number: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    use super::fulfilment::{Parcel, ParcelLine, fulfil};
    use super::lifecycle::OrderError;
    use super::status_rules::Actor;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;
    use shop_types::{Permission, PublicId};

    let state = app_state()?;
    let session = authorize(&state, Access::Permission(Permission::ManageOrders)).await?;
    let id = PublicId::parse(id.trim())
        .map_err(|_| AppError::not_found(Thing::Order))?
        .to_string();
    if quantities.len() > 500 {
        return Err(AppError::validation("quantities", Problem::TooManyLines));
    }
    let mut lines = Vec::new();
    for (position, quantity) in &quantities {
        let quantity = quantity.trim();
        if quantity.is_empty() {
            continue;
        }
        let position: i64 = position
            .parse()
            .map_err(|_| AppError::validation("quantities", Problem::LineNotInOrder))?;
        let quantity: i64 = quantity
            .parse()
            .ok()
            .filter(|q| (0..=100_000).contains(q))
            .ok_or_else(|| AppError::validation("quantities", Problem::UnitsNotWhole))?;
        lines.push(ParcelLine { position, quantity });
    }
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
    let parcel = Parcel {
        lines,
        location_id: location_id.filter(|l| !l.trim().is_empty()),
        carrier: carrier.unwrap_or_default(),
        tracking_number: tracking_number.unwrap_or_default(),
        note,
    };
    fulfil(
        &state.db,
        &id,
        &Actor::Staff(crate::identity::auth::who(&session)),
        &parcel,
    )
    .await
    .map_err(|e| match e {
        OrderError::BadAmount(problem) => AppError::validation("quantities", problem),
        other => other.into_app_error(),
    })?;
    state.jobs.wake();
    redirect_after_form_post(&format!("/admin/orders/{id}"));
    Ok(())
}
