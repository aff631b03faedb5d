use leptos::prelude::*;
use shop_types::AppError;

/// Changes the signed-in account's password (the current one is asked again). Every session
/// ends; this browser gets a fresh one.
#[server(endpoint = "account/change-password")]
pub async fn change_password(current_password: String, password: String) -> Result<(), AppError> {
    use super::account_service;
    use super::server_support::{start_session, to_app_error};
    use crate::identity::auth::{Access, authorize};
    use crate::platform::rate_limit::limit_attempts;
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    limit_attempts(&state.db, &format!("reauth:{}", session.user.id), 10).await?;
    account_service::change_password(&state.db, &session.user, &current_password, &password)
        .await
        .map_err(to_app_error)?;
    start_session(&state, &session.user).await?;
    leptos_axum::redirect("/account?done=password");
    Ok(())
}
