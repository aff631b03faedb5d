use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{Problem, Thing};

/// Disables (`disabled` "true") or enables a customer account. Disabling ends its sessions at
/// once; its orders stay.
#[server(endpoint = "admin/customers/disable")]
pub async fn set_customer_disabled(id: String, disabled: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{clock::now, errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCustomers),
    )
    .await?;
    let disable = match disabled.trim() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(AppError::validation(
                "disabled",
                Problem::DisableChoiceUnknown,
            ));
        }
    };
    let id = id.trim().to_owned();
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(internal("customer: begin"))?;
    let at = now().millis();
    let changed =
        crate::identity::users::set_customer_disabled(&mut tx, &id, disable.then_some(at))
            .await
            .map_err(internal("customer: disable"))?;
    if !changed {
        return Err(AppError::not_found(Thing::Customer));
    }
    crate::platform::audit_trail::record(
        &mut tx,
        &crate::identity::auth::who(&session),
        if disable {
            "customer.disabled"
        } else {
            "customer.enabled"
        },
        &format!("user:{id}"),
        Some(serde_json::json!({ "disabled": !disable })),
        Some(serde_json::json!({ "disabled": disable })),
    )
    .await
    .map_err(internal("customer: audit"))?;
    if disable {
        crate::identity::sessions::delete_all_for_user(&mut tx, &id)
            .await
            .map_err(internal("customer: end sessions"))?;
    }
    tx.commit().await.map_err(internal("customer: commit"))?;
    redirect_after_form_post(&format!("/admin/customers/{id}"));
    Ok(())
}
