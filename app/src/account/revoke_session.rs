use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Thing;

/// Ends one of the caller's own sessions (another device) by its id.
#[server(endpoint = "account/revoke-session")]
pub async fn revoke_session(id: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::identity::sessions;
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let mut conn = state.conn("revoke session: acquire").await?;
    // The query names the owner too: another account's session id simply matches nothing.
    let ended = sessions::delete_for_user(&mut conn, &session.user.id, &id)
        .await
        .map_err(internal("revoke session"))?;
    if !ended {
        return Err(AppError::not_found(Thing::Session));
    }
    crate::platform::forms::redirect_after_form_post("/account");
    Ok(())
}
