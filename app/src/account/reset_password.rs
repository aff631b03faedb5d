use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Sets a new password through a mailed reset link, ends every other session and signs this
/// browser in (after the second step, for accounts that have one: a reset never skips it).
#[server(endpoint = "account/reset")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use super::account_service;
    use super::server_support::{begin_sign_in, to_app_error};
    use crate::platform::state::app_state;

    let state = app_state()?;
    if token.len() > 200 {
        return Err(AppError::validation("", Problem::LinkInvalid));
    }
    let user = account_service::reset_password(&state.db, token.trim(), &password)
        .await
        .map_err(to_app_error)?;
    // The link proves the mailbox, not the second factor: that step still follows.
    let next = begin_sign_in(&state, &user).await?;
    leptos_axum::redirect(if next == shop_types::paths::ACCOUNT {
        "/account?done=password"
    } else {
        next
    });
    Ok(())
}
