use leptos::prelude::*;
use shop_types::AppError;

/// Starts a change of the signed-in account's address (the current password is asked again):
/// a confirmation link goes to the new address, which replaces the old one when used.
#[server(endpoint = "account/change-email")]
pub async fn change_email(current_password: String, email: String) -> Result<(), AppError> {
    use super::account_service;
    use super::server_support::{mail_context, to_app_error};
    use crate::identity::auth::{Access, authorize};
    use crate::platform::rate_limit::limit_attempts;
    use crate::platform::state::app_state;
    use shop_types::Email;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let email = Email::parse(&email).map_err(|e| AppError::validation("email", e))?;
    limit_attempts(&state.db, &format!("reauth:{}", session.user.id), 10).await?;
    let mail = mail_context(&state).await?;
    account_service::request_email_change(
        &state.db,
        &mail,
        &session.user,
        &current_password,
        &email,
    )
    .await
    .map_err(to_app_error)?;
    state.jobs.wake();
    leptos_axum::redirect("/account?done=email-sent");
    Ok(())
}
