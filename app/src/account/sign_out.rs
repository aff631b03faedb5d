use leptos::prelude::*;
use shop_types::AppError;

/// Ends this browser's session on the server and forgets the cookie.
#[server(endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::identity::auth::{clear_session_cookie, session_token};
    use crate::identity::sessions;
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    if let Some(token) = session_token(&state) {
        let mut conn = state.conn("sign-out: acquire").await?;
        sessions::delete_by_token(&mut conn, &token)
            .await
            .map_err(internal("sign-out"))?;
    }
    clear_session_cookie(&state);
    leptos_axum::redirect("/");
    Ok(())
}
