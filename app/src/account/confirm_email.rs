use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Uses an e-mailed confirmation link: confirms the address. The browser that registered
/// (it holds the `REGISTERING` cookie made from this link) is signed in and goes to
/// `/account`; anyone else only confirms and goes to sign in, so a link planted on someone
/// else cannot sign them into the planter's account (login CSRF). Posted from a button on the
/// link's page, so mail scanners that fetch links do not use it up.
#[server(endpoint = "account/confirm")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    use super::account_service;
    use super::server_support::{begin_sign_in, to_app_error};
    use crate::platform::state::app_state;

    let state = app_state()?;
    if token.len() > 200 {
        return Err(AppError::validation("", Problem::LinkInvalid));
    }
    use crate::identity::auth::{cookie_value, set_cookie};
    use crate::platform::secrets::same_secret;
    use shop_types::paths::cookies::REGISTERING;

    let token = token.trim();
    let user = account_service::confirm_email(&state.db, token)
        .await
        .map_err(to_app_error)?;
    let registered_here = cookie_value(&state, REGISTERING)
        .is_some_and(|proof| same_secret(&proof, &account_service::registering_proof(token)));
    if registered_here {
        set_cookie(&state, REGISTERING, "", 0);
        let next = begin_sign_in(&state, &user).await?;
        leptos_axum::redirect(next);
    } else {
        leptos_axum::redirect("/account/sign-in?confirmed=1");
    }
    Ok(())
}
