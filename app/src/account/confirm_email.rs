use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Uses an e-mailed confirmation link: confirms the address, signs the account in and goes to
/// `/account`. Posted from a button on the link's page, so mail scanners that fetch links do
/// not use it up.
#[server(endpoint = "account/confirm")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    use super::account_service;
    use super::server_support::{start_session, to_app_error};
    use crate::platform::state::app_state;

    let state = app_state()?;
    if token.len() > 200 {
        return Err(AppError::validation("", Problem::LinkInvalid));
    }
    let user = account_service::confirm_email(&state.db, token.trim())
        .await
        .map_err(to_app_error)?;
    start_session(&state, &user).await?;
    leptos_axum::redirect("/account");
    Ok(())
}
