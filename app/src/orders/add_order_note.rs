use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{FieldName, Problem, Thing};

/// Staff keep an internal note on an order (never shown to the customer).
#[server(endpoint = "admin/orders/note")]
pub async fn add_order_note(id: String, body: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::{Permission, PublicId};

    let state = app_state()?;
    let session = authorize(&state, Access::Permission(Permission::ManageOrders)).await?;
    let id = PublicId::parse(id.trim())
        .map_err(|_| AppError::not_found(Thing::Order))?
        .to_string();
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::validation("body", Problem::NoteMissing));
    }
    if body.chars().count() > 4000 {
        return Err(AppError::validation(
            "body",
            Problem::TooLongField {
                what: FieldName::Note,
                max: 4000,
            },
        ));
    }
    let author = if session.user.name.trim().is_empty() {
        session.user.email.clone()
    } else {
        session.user.name.clone()
    };
    let added = super::workbench::add_note(
        &state.db,
        &id,
        &crate::identity::auth::who(&session),
        &author,
        body,
    )
    .await
    .map_err(internal("orders: note"))?;
    if !added {
        return Err(AppError::not_found(Thing::Order));
    }
    redirect_after_form_post(&format!("/admin/orders/{id}"));
    Ok(())
}
