use leptos::prelude::*;
use shop_types::AppError;

/// Signs in with address and password. Every sign-in gets a brand-new session token (any
/// session the browser had is ended), so a planted cookie can never become a signed-in one.
///
/// Rate limits: 30 attempts per 15 minutes from one IP address, and 5 per 15 minutes for one
/// account from one IP address. Attempts from elsewhere never count against the owner.
#[server(endpoint = "account/sign-in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use super::account_service::authenticate;
    use super::auth::{session_token, set_session_cookie, user_agent};
    use super::server_support::{client_ip, to_app_error};
    use super::sessions;
    use crate::platform::rate_limit::{HitError, Limit, hit, reset};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Email;
    use std::time::Duration;

    let state = app_state()?;
    let email = Email::parse(&email).map_err(|e| AppError::validation("email", e.to_string()))?;
    let ip = client_ip();
    let window = Duration::from_secs(15 * 60);
    let account_key = format!("sign-in:account:{}:{ip}", email.as_str());
    for (key, limit) in [(format!("sign-in:ip:{ip}"), 30), (account_key.clone(), 5)] {
        hit(&state.db, &key, Limit { limit, window })
            .await
            .map_err(|e| match e {
                HitError::Limited(e) => e,
                HitError::Db(e) => internal("sign-in: rate limit")(e),
            })?;
    }
    let user = authenticate(&state.db, &email, &password)
        .await
        .map_err(to_app_error)?;
    reset(&state.db, &account_key)
        .await
        .map_err(internal("sign-in: reset limit"))?;

    let mut conn = state
        .db
        .pool()
        .acquire()
        .await
        .map_err(internal("sign-in: acquire"))?;
    if let Some(old) = session_token(&state) {
        sessions::delete_by_token(&mut conn, &old)
            .await
            .map_err(internal("sign-in: end old session"))?;
    }
    let (token, expires_at) = sessions::create(&mut conn, &user, &user_agent())
        .await
        .map_err(internal("sign-in: session"))?;
    set_session_cookie(&state, &token, expires_at);
    leptos_axum::redirect("/account");
    Ok(())
}
