use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Changes the signed-in account's display name.
#[server(endpoint = "account/profile")]
pub async fn update_profile(name: String) -> Result<(), AppError> {
    use super::account_service;
    use super::server_support::to_app_error;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    if name.trim().chars().count() > 100 {
        return Err(AppError::validation(
            "name",
            Problem::AtMostCharacters { max: 100 },
        ));
    }
    account_service::update_name(&state.db, &session.user, &name)
        .await
        .map_err(to_app_error)?;
    leptos_axum::redirect("/account?done=profile");
    Ok(())
}
