use leptos::prelude::*;
use shop_types::AppError;

/// Ends every session of the signed-in account, on every device.
#[server(endpoint = "account/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize, clear_session_cookie};
    use crate::identity::sessions;
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let mut conn = state.conn("sign-out everywhere: acquire").await?;
    sessions::delete_all_for_user(&mut conn, &session.user.id)
        .await
        .map_err(internal("sign-out everywhere"))?;
    clear_session_cookie(&state);
    leptos_axum::redirect("/account/sign-in");
    Ok(())
}
