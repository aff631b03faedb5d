use leptos::prelude::*;
use shop_types::AppError;

/// Uses an e-mailed confirmation link: confirms the address, signs the account in and goes to
/// `/account`. Posted from a button on the link's page, so mail scanners that fetch links do
/// not use it up.
#[server(endpoint = "account/confirm")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    use super::account_service;
    use super::auth::{set_session_cookie, user_agent};
    use super::server_support::to_app_error;
    use super::sessions;
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    if token.len() > 200 {
        return Err(AppError::validation(
            "",
            "This link is invalid, was already used or has expired.",
        ));
    }
    let user = account_service::confirm_email(&state.db, token.trim())
        .await
        .map_err(to_app_error)?;
    let mut conn = state
        .db
        .pool()
        .acquire()
        .await
        .map_err(internal("confirm: acquire"))?;
    let (session_token, expires_at) = sessions::create(&mut conn, &user, &user_agent())
        .await
        .map_err(internal("confirm: session"))?;
    set_session_cookie(&state, &session_token, expires_at);
    leptos_axum::redirect("/account");
    Ok(())
}
