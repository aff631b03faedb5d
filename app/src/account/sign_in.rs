use leptos::prelude::*;
use shop_types::AppError;

/// Signs in with address and password. Every sign-in gets a brand-new session token (any
/// session the browser had is ended), so a planted cookie can never become a signed-in one.
/// An account with two-step sign-in gets no session yet: the browser goes on to the code.
///
/// Rate limits: 30 attempts per 15 minutes from one IP address (`SHOP_SIGN_IN_IP_LIMIT`), and 5
/// per 15 minutes for one account from one IP address. Attempts from elsewhere never count against the owner.
#[server(endpoint = "account/sign-in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use super::account_service::authenticate;
    use super::server_support::{begin_sign_in, to_app_error};
    use crate::platform::http::client_ip;
    use crate::platform::rate_limit::limit_attempts;
    use crate::platform::rate_limit::reset;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Email;

    let state = app_state()?;
    let email = Email::parse(&email).map_err(|e| AppError::validation("email", e))?;
    let ip = client_ip();
    let account_key = format!("sign-in:account:{}:{ip}", email.as_str());
    limit_attempts(
        &state.db,
        &format!("sign-in:ip:{ip}"),
        state.config.sign_in_ip_limit,
    )
    .await?;
    limit_attempts(&state.db, &account_key, 5).await?;
    let user = match authenticate(&state.db, &email, &password).await {
        Ok(user) => user,
        Err(e) => {
            // A failed attempt is a security event too (the address tried, not the password).
            let recorded = async {
                let mut tx = state.db.begin_write().await?;
                crate::platform::audit_trail::record(
                    &mut tx,
                    &crate::platform::audit_trail::Who::anonymous(email.as_str()),
                    "account.sign_in_failed",
                    &format!("email:{}", email.as_str()),
                    None,
                    Some(serde_json::json!({ "reason": match &e {
                        super::account_service::AccountError::BadCredentials => "bad_credentials",
                        super::account_service::AccountError::NotVerified => "not_verified",
                        _ => "failed",
                    } })),
                )
                .await?;
                tx.commit().await
            };
            if let Err(db) = recorded.await {
                tracing::error!(error = %db, "sign-in: could not audit a failed attempt");
            }
            return Err(to_app_error(e));
        }
    };
    reset(&state.db, &account_key)
        .await
        .map_err(internal("sign-in: reset limit"))?;
    // Accounts with a second factor (and back-office ones, which must have one) go on to it.
    let next = begin_sign_in(&state, &user).await?;
    leptos_axum::redirect(next);
    Ok(())
}
