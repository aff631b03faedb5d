use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{Problem, Thing};

/// An admin turns off another account's two-step sign-in (staff on the Staff page, customers on
/// theirs) when its owner lost the phone and the recovery codes (after checking who is asking,
/// outside the shop). The account's sessions and
/// waiting sign-ins end; a back-office account sets up a new app at its next sign-in. Admins
/// cannot reset their own (another admin must), so a stolen admin session cannot strip the
/// factor it did not need.
#[server(endpoint = "admin/staff/reset-two-step")]
pub async fn reset_two_step(id: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize, who};
    use crate::identity::{factors, sessions, users};
    use crate::platform::audit_trail::record;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Role;

    let state = app_state()?;
    let session = authorize(&state, Access::Role(&[Role::Admin])).await?;
    let id = id.trim().to_owned();
    if id == session.user.id {
        return Err(AppError::validation("", Problem::OwnTwoStepReset));
    }
    let mut tx = state.write("reset two-step: begin").await?;
    let Some(user) = users::find_by_id(&mut tx, state.db.vault(), &id)
        .await
        .map_err(internal("reset two-step: account"))?
    else {
        return Err(AppError::not_found(Thing::StaffAccount));
    };
    let had = factors::remove(&mut tx, &user.id)
        .await
        .map_err(internal("reset two-step: remove"))?;
    sessions::delete_all_for_user(&mut tx, &user.id)
        .await
        .map_err(internal("reset two-step: sessions"))?;
    // Logged even when there was nothing to reset: the attempt is an admin action too.
    record(
        &mut tx,
        &who(&session),
        "account.second_factor_reset",
        &format!("user:{}", user.id),
        Some(serde_json::json!({ "email": user.email, "two_step": had })),
        Some(serde_json::json!({ "email": user.email, "two_step": false })),
    )
    .await
    .map_err(internal("reset two-step: audit"))?;
    tx.commit()
        .await
        .map_err(internal("reset two-step: commit"))?;
    // Back to the page the reset was made on: the customer's, or the staff list.
    if user.role == Role::Customer {
        redirect_after_form_post(&format!("/admin/customers/{}?saved=two-step", user.id));
    } else {
        redirect_after_form_post("/admin/settings/staff?saved=two-step");
    }
    Ok(())
}
