use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Creates a customer account and mails a confirmation link. Answers the same whether or not
/// the address already has an account (that owner gets a mail instead), then goes to
/// `/account/check-inbox`. Rate limited per IP address (10 per 15 minutes) and per address (5).
#[server(endpoint = "account/register")]
pub async fn register_account(
    email: String,
    name: String,
    password: String,
) -> Result<(), AppError> {
    use super::account_service::register;
    use super::server_support::{mail_context, to_app_error};
    use crate::platform::http::client_ip;
    use crate::platform::rate_limit::limit_attempts;
    use crate::platform::state::app_state;
    use shop_types::Email;

    let state = app_state()?;
    let email = Email::parse(&email).map_err(|e| AppError::validation("email", e))?;
    if name.trim().chars().count() > 100 {
        return Err(AppError::validation(
            "name",
            Problem::AtMostCharacters { max: 100 },
        ));
    }
    limit_attempts(
        &state.db,
        &format!("register:ip:{}", client_ip()),
        state.config.register_ip_limit,
    )
    .await?;
    // Per address too, so nobody can flood one inbox with confirmation mails.
    limit_attempts(
        &state.db,
        &format!("register:account:{}", email.as_str()),
        5,
    )
    .await?;
    let mail = mail_context(&state).await?;
    let proof = register(&state.db, &mail, &email, &password, &name)
        .await
        .map_err(to_app_error)?;
    // Only this browser is signed in when the link is used (see `confirm_email`).
    crate::identity::auth::set_cookie(
        &state,
        shop_types::paths::cookies::REGISTERING,
        &proof,
        48 * 3600,
    );
    state.jobs.wake();
    leptos_axum::redirect("/account/check-inbox");
    Ok(())
}
