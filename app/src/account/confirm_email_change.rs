use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Uses a change-of-address link; the account's address becomes the new one.
#[server(endpoint = "account/confirm-new-email")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    use super::account_service;
    use super::server_support::{mail_context, to_app_error};
    use crate::platform::state::app_state;

    let state = app_state()?;
    if token.len() > 200 {
        return Err(AppError::validation("", Problem::LinkInvalid));
    }
    let mail = mail_context(&state).await?;
    account_service::confirm_email_change(&state.db, &mail, token.trim())
        .await
        .map_err(to_app_error)?;
    state.jobs.wake();
    leptos_axum::redirect("/account?done=email-changed");
    Ok(())
}
