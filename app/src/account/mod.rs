//! Accounts: registration with e-mail confirmation, sign-in and sign-out, server-side sessions
//! (listed and revocable by their owner), roles and the authorisation helper (`auth`).
//!
//! Pages and server functions are one per file; the rules live in `account_service`,
//! `passwords` and `sessions`, which tests call directly.

mod account_page;
mod address_fields;
mod addresses_page;
mod change_email;
mod change_password;
mod check_inbox_page;
mod confirm_email;
mod confirm_email_change;
mod confirm_email_page;
mod delete_address;
mod forgot_password_page;
mod get_account;
mod list_addresses;
mod passkey_browser;
mod passkeys;
mod passkeys_section;
mod recovery_codes;
mod register_account;
mod register_page;
mod request_password_reset;
mod reset_password;
mod reset_password_page;
mod revoke_session;
mod save_address;
mod second_step;
mod second_step_page;
mod secure_account;
mod sign_in;
mod sign_in_page;
mod sign_out;
mod sign_out_everywhere;
mod two_step_setup;
mod two_step_setup_page;
mod update_profile;

pub use account_page::AccountPage;
pub use address_fields::AddressFields;
pub use addresses_page::AddressesPage;
pub use change_email::{ChangeEmail, change_email};
pub use change_password::{ChangePassword, change_password};
pub use check_inbox_page::CheckInboxPage;
pub use confirm_email::{ConfirmEmail, confirm_email};
pub use confirm_email_change::{ConfirmEmailChange, confirm_email_change};
pub use confirm_email_page::{ConfirmEmailPage, ConfirmNewEmailPage};
pub use delete_address::{DeleteAddress, delete_address};
pub use forgot_password_page::{ForgotPasswordPage, ResetSentPage};
pub use get_account::{AccountView, GetAccount, SessionView, get_account};
pub use list_addresses::{ListAddresses, SavedAddress, list_addresses};
pub use passkeys::{
    FinishAddingPasskey, FinishPasskeySignIn, PasskeyPrompt, PasskeyView, RemovePasskey,
    RenamePasskey, StartAddingPasskey, StartPasskeySignIn, finish_adding_passkey,
    finish_passkey_sign_in, remove_passkey, rename_passkey, start_adding_passkey,
    start_passkey_sign_in,
};
pub use recovery_codes::{
    GetNewRecoveryCodes, NewRecoveryCodesPage, RenewRecoveryCodes, SavedRecoveryCodes,
    get_new_recovery_codes, renew_recovery_codes, saved_recovery_codes,
};
pub use register_account::{RegisterAccount, register_account};
pub use register_page::RegisterPage;
pub use request_password_reset::{RequestPasswordReset, request_password_reset};
pub use reset_password::{ResetPassword, reset_password};
pub use reset_password_page::ResetPasswordPage;
pub use revoke_session::{RevokeSession, revoke_session};
pub use save_address::{SaveAddress, save_address};
pub use second_step::{SecondStep, second_step};
pub use second_step_page::SecondStepPage;
pub use secure_account::{SecureAccount, SecureAccountPage, secure_account};
pub use sign_in::{SignIn, sign_in};
pub use sign_in_page::SignInPage;
pub use sign_out::{SignOut, sign_out};
pub use sign_out_everywhere::{SignOutEverywhere, sign_out_everywhere};
pub use two_step_setup::{
    ConfirmTwoStepSetup, StartTwoStepSetup, TurnOffTwoStep, TwoStepSetup, confirm_two_step_setup,
    start_two_step_setup, turn_off_two_step,
};
pub use two_step_setup_page::TwoStepSetupPage;
pub use update_profile::{UpdateProfile, update_profile};

#[cfg(feature = "ssr")]
pub mod account_service;
#[cfg(feature = "ssr")]
pub mod address_book;

/// Server-side helpers shared by this folder's server functions.
#[cfg(feature = "ssr")]
pub(crate) mod server_support {
    use super::account_service::{AccountError, MailContext};
    use crate::platform::errors::internal;
    use crate::platform::state::AppState;
    use shop_types::AppError;

    /// Maps a service error to what the caller may see.
    pub fn to_app_error(err: AccountError) -> AppError {
        match err {
            AccountError::Password(e) => AppError::validation("password", e),
            e @ AccountError::WrongCurrentPassword => AppError::validation("current_password", &e),
            e @ (AccountError::BadCredentials
            | AccountError::NotVerified
            | AccountError::BadLink) => AppError::validation("", &e),
            other => internal("account")(other),
        }
    }

    /// Re-authentication before a change to how `user` signs in: their current password,
    /// at most 10 tries per account in 15 minutes. Wrong: a clear error on the field.
    pub async fn recheck_password(
        state: &AppState,
        user: &crate::identity::users::User,
        current_password: String,
    ) -> Result<(), AppError> {
        crate::platform::rate_limit::limit_attempts(&state.db, &format!("reauth:{}", user.id), 10)
            .await?;
        if crate::identity::passwords::verify_password(
            current_password,
            Some(user.password_hash.clone()),
        )
        .await
        {
            Ok(())
        } else {
            Err(AppError::validation(
                "current_password",
                shop_types::Problem::PasswordWrong,
            ))
        }
    }

    /// The shop as the relying party of its passkeys; refused when its public address cannot
    /// hold passkeys (a bare IP address).
    pub async fn relying_party(
        state: &AppState,
    ) -> Result<webauthn_rs::prelude::Webauthn, AppError> {
        let mail = mail_context(state).await?;
        crate::identity::passkeys::relying_party(&mail.public_url, &mail.store_name)
            .ok_or_else(|| AppError::conflict(shop_types::Problem::PasskeysUnavailable))
    }

    /// Maps a passkey refusal to what the caller may see (a database failure is logged under
    /// `context` and shown as an internal error).
    pub fn passkey_error(
        context: &'static str,
    ) -> impl Fn(crate::identity::passkeys::PasskeyError) -> AppError {
        move |e| match e {
            crate::identity::passkeys::PasskeyError::Refused(problem) => {
                AppError::validation("", problem)
            }
            crate::identity::passkeys::PasskeyError::Db(e) => internal(context)(e),
        }
    }

    /// Store name and public URL, for the links and words of account mails.
    pub async fn mail_context(state: &AppState) -> Result<MailContext, AppError> {
        let mut conn = state.conn("mail context: acquire").await?;
        let store = crate::store::queries::default_store(&mut conn)
            .await
            .map_err(internal("mail context"))?;
        Ok(MailContext {
            store_name: store
                .map(|s| s.name)
                .unwrap_or_else(|| state.config.store_name.clone()),
            public_url: state.config.public_url.clone(),
        })
    }

    /// After a right password (or a used reset link): a full session when the account needs no
    /// second step, else a sign-in challenge in its own cookie (never a session). Returns where
    /// the browser goes next: the account, the second step, or the enrolment that back-office
    /// accounts without a second factor must finish first.
    pub async fn begin_sign_in(
        state: &AppState,
        user: &crate::identity::users::User,
    ) -> Result<&'static str, AppError> {
        use crate::identity::factors::{self, CHALLENGE_TTL, Purpose};
        use shop_types::paths;
        let mut conn = state.conn("sign-in: acquire").await?;
        let status = factors::status(&mut conn, &user.id)
            .await
            .map_err(internal("sign-in: factors"))?;
        drop(conn);
        let Some(purpose) = factors::next_step(user.role, status.app) else {
            start_session(state, user).await?;
            return Ok(paths::ACCOUNT);
        };
        let mut tx = state.write("sign-in: begin").await?;
        let token =
            factors::open_challenge(&mut tx, &user.id, purpose, crate::platform::clock::now())
                .await
                .map_err(internal("sign-in: challenge"))?;
        tx.commit().await.map_err(internal("sign-in: commit"))?;
        crate::identity::auth::set_cookie(
            state,
            paths::cookies::SIGN_IN_CHALLENGE,
            &token,
            CHALLENGE_TTL / 1000,
        );
        Ok(match purpose {
            Purpose::SecondFactor => paths::SECOND_STEP,
            Purpose::Enrol => paths::TWO_STEP_SETUP,
        })
    }

    /// The sign-in challenge this browser is in (its cookie's token and the challenge), if any.
    pub async fn pending_sign_in(
        state: &AppState,
    ) -> Result<Option<(String, crate::identity::factors::Challenge)>, AppError> {
        let Some(token) = crate::identity::auth::cookie_value(
            state,
            shop_types::paths::cookies::SIGN_IN_CHALLENGE,
        ) else {
            return Ok(None);
        };
        let mut tx = state.write("sign-in: challenge").await?;
        let found = crate::identity::factors::find_challenge(
            &mut tx,
            &token,
            crate::platform::clock::now(),
        )
        .await
        .map_err(internal("sign-in: find challenge"))?;
        tx.commit().await.map_err(internal("sign-in: commit"))?;
        Ok(found.map(|c| (token, c)))
    }

    /// Who is setting up two-step sign-in: a back-office sign-in that must enrol before it may
    /// continue (with its challenge token), else the signed-in account.
    pub async fn setup_caller(
        state: &AppState,
    ) -> Result<(crate::identity::users::User, Option<String>), AppError> {
        if let Some((token, challenge)) = pending_sign_in(state).await?
            && challenge.purpose == crate::identity::factors::Purpose::Enrol
        {
            let mut conn = state.conn("two-step setup: acquire").await?;
            let user =
                crate::identity::users::find_by_id(&mut conn, state.db.vault(), &challenge.user_id)
                    .await
                    .map_err(internal("two-step setup: account"))?
                    .filter(|u| !u.disabled)
                    .ok_or(AppError::Unauthorized)?;
            return Ok((user, Some(token)));
        }
        let session = crate::identity::auth::current_session(state)
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok((session.user, None))
    }

    /// Ends the challenge behind `token` and starts the full session it was waiting for.
    pub async fn finish_sign_in(
        state: &AppState,
        token: &str,
        user: &crate::identity::users::User,
    ) -> Result<(), AppError> {
        let mut tx = state.write("sign-in: finish").await?;
        crate::identity::factors::close_challenge(&mut tx, token)
            .await
            .map_err(internal("sign-in: close challenge"))?;
        tx.commit().await.map_err(internal("sign-in: commit"))?;
        crate::identity::auth::set_cookie(
            state,
            shop_types::paths::cookies::SIGN_IN_CHALLENGE,
            "",
            0,
        );
        start_session(state, user).await
    }

    /// Starts a fresh session for `user` in this browser (ending the one it had) and sends
    /// its cookie.
    pub async fn start_session(
        state: &AppState,
        user: &crate::identity::users::User,
    ) -> Result<(), AppError> {
        use crate::identity::auth::{session_token, set_session_cookie, user_agent};
        let mut tx = state.write("session: begin").await?;
        if let Some(old) = session_token(state) {
            crate::identity::sessions::delete_by_token(&mut tx, &old)
                .await
                .map_err(internal("session: end old"))?;
        }
        let agent = user_agent();
        let (token, expires_at) = crate::identity::sessions::create(&mut tx, user, &agent)
            .await
            .map_err(internal("session: create"))?;
        // A browser this account never used before: its owner hears of it.
        let device = crate::identity::auth::cookie_value(state, shop_types::paths::cookies::DEVICE)
            .filter(|d| !d.is_empty() && d.len() <= 100)
            .unwrap_or_else(crate::platform::secrets::new_secret);
        let seen = crate::identity::devices::remember(
            &mut tx,
            &user.id,
            &device,
            &agent,
            crate::platform::clock::now(),
        )
        .await
        .map_err(internal("session: device"))?;
        if seen == crate::identity::devices::Seen::New {
            let from = crate::platform::http::request_origin()
                .0
                .unwrap_or_default();
            super::account_service::mail_new_device(
                &mut tx,
                state.db.vault(),
                &mail_context(state).await?,
                user,
                &agent,
                &from,
            )
            .await
            .map_err(internal("session: new device mail"))?;
        }
        // Every sign-in is a security event.
        crate::platform::audit_trail::record(
            &mut tx,
            &crate::platform::audit_trail::Who::account(&user.id, &user.email),
            "account.signed_in",
            &format!("user:{}", user.id),
            None,
            Some(serde_json::json!({ "role": user.role.as_str(), "device": agent })),
        )
        .await
        .map_err(internal("session: audit"))?;
        tx.commit().await.map_err(internal("session: commit"))?;
        set_session_cookie(state, &token, expires_at);
        crate::identity::auth::set_cookie(
            state,
            shop_types::paths::cookies::DEVICE,
            &device,
            crate::identity::devices::DEVICE_COOKIE_DAYS * 24 * 3600,
        );
        if seen == crate::identity::devices::Seen::New {
            state.jobs.wake();
        }
        let mut conn = state.conn("session: acquire").await?;
        // A signed-out shopper's favourites join the account.
        if let Some(guest) = crate::identity::auth::cookie_value(
            state,
            crate::catalog::favourites::store::GUEST_COOKIE,
        ) {
            crate::catalog::favourites::store::merge_guest(&mut conn, &user.id, &guest)
                .await
                .map_err(internal("session: merge favourites"))?;
            crate::identity::auth::set_cookie(
                state,
                crate::catalog::favourites::store::GUEST_COOKIE,
                "",
                0,
            );
        }
        drop(conn);
        // And so does the cart they filled.
        crate::cart::owner::merge_at_sign_in(state, &user.id).await?;
        Ok(())
    }
}
