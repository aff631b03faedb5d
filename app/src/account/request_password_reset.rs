use leptos::prelude::*;
use shop_types::AppError;

/// Mails a password reset link if the address has an account, and answers the same either
/// way (then goes to `/account/reset-sent`). Rate limited per IP address and per address.
#[server(endpoint = "account/request-reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use super::account_service;
    use super::server_support::{mail_context, to_app_error};
    use crate::platform::http::client_ip;
    use crate::platform::rate_limit::limit_attempts;
    use crate::platform::state::app_state;
    use shop_types::Email;

    let state = app_state()?;
    let email = Email::parse(&email).map_err(|e| AppError::validation("email", e))?;
    let ip = client_ip();
    limit_attempts(&state.db, &format!("reset:ip:{ip}"), 20).await?;
    limit_attempts(&state.db, &format!("reset:account:{}", email.as_str()), 5).await?;
    let mail = mail_context(&state).await?;
    account_service::request_password_reset(&state.db, &mail, &email)
        .await
        .map_err(to_app_error)?;
    state.jobs.wake();
    leptos_axum::redirect("/account/reset-sent");
    Ok(())
}
