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
mod register_account;
mod register_page;
mod request_password_reset;
mod reset_password;
mod reset_password_page;
mod revoke_session;
mod save_address;
mod sign_in;
mod sign_in_page;
mod sign_out;
mod sign_out_everywhere;
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
pub use register_account::{RegisterAccount, register_account};
pub use register_page::RegisterPage;
pub use request_password_reset::{RequestPasswordReset, request_password_reset};
pub use reset_password::{ResetPassword, reset_password};
pub use reset_password_page::ResetPasswordPage;
pub use revoke_session::{RevokeSession, revoke_session};
pub use save_address::{SaveAddress, save_address};
pub use sign_in::{SignIn, sign_in};
pub use sign_in_page::SignInPage;
pub use sign_out::{SignOut, sign_out};
pub use sign_out_everywhere::{SignOutEverywhere, sign_out_everywhere};
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
