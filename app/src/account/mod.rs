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
mod favourites_page;
mod forgot_password_page;
mod get_account;
mod list_addresses;
mod list_favourites;
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
mod toggle_favourite;
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
pub use favourites_page::FavouritesPage;
pub use forgot_password_page::{ForgotPasswordPage, ResetSentPage};
pub use get_account::{AccountView, GetAccount, SessionView, get_account};
pub use list_addresses::{ListAddresses, SavedAddress, list_addresses};
pub use list_favourites::{ListFavourites, list_favourites};
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
pub use toggle_favourite::{ToggleFavourite, favourite_label, toggle_favourite};
pub use update_profile::{UpdateProfile, update_profile};

#[cfg(feature = "ssr")]
pub mod account_service;
#[cfg(feature = "ssr")]
pub mod address_book;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod favourites;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod users;

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
            AccountError::Password(e) => AppError::validation("password", e.to_string()),
            e @ AccountError::WrongCurrentPassword => {
                AppError::validation("current_password", e.to_string())
            }
            e @ (AccountError::BadCredentials
            | AccountError::NotVerified
            | AccountError::BadLink) => AppError::validation("", e.to_string()),
            other => internal("account")(other),
        }
    }

    /// Store name and public URL, for the links and words of account mails.
    pub async fn mail_context(state: &AppState) -> Result<MailContext, AppError> {
        let mut conn = state.conn("mail context: acquire").await?;
        let store = crate::settings::queries::default_store(&mut conn)
            .await
            .map_err(internal("mail context"))?;
        Ok(MailContext {
            store_name: store
                .map(|s| s.name)
                .unwrap_or_else(|| state.config.store_name.clone()),
            public_url: state.config.public_url.clone(),
        })
    }

    /// The caller's IP address, for rate limits.
    pub fn client_ip() -> String {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|p| {
                p.extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| c.0.ip().to_string())
            })
            .unwrap_or_else(|| "unknown".to_owned())
    }

    /// Counts one attempt on `key` (at most `max` per 15 minutes) or refuses with 429.
    pub async fn limit(state: &AppState, key: &str, max: i64) -> Result<(), AppError> {
        use crate::platform::rate_limit::{HitError, Limit, hit};
        let window = std::time::Duration::from_secs(15 * 60);
        hit(&state.db, key, Limit { limit: max, window })
            .await
            .map_err(|e| match e {
                HitError::Limited(e) => e,
                HitError::Db(e) => internal("rate limit")(e),
            })
    }

    /// Starts a fresh session for `user` in this browser (ending the one it had) and sends
    /// its cookie.
    pub async fn start_session(
        state: &AppState,
        user: &super::users::User,
    ) -> Result<(), AppError> {
        use super::auth::{session_token, set_session_cookie, user_agent};
        let mut conn = state.conn("session: acquire").await?;
        if let Some(old) = session_token(state) {
            super::sessions::delete_by_token(&mut conn, &old)
                .await
                .map_err(internal("session: end old"))?;
        }
        let (token, expires_at) = super::sessions::create(&mut conn, user, &user_agent())
            .await
            .map_err(internal("session: create"))?;
        set_session_cookie(state, &token, expires_at);
        // A signed-out shopper's favourites join the account.
        if let Some(guest) = super::auth::cookie_value(super::favourites::GUEST_COOKIE) {
            super::favourites::merge_guest(&mut conn, &user.id, &guest)
                .await
                .map_err(internal("session: merge favourites"))?;
            super::auth::set_cookie(state, super::favourites::GUEST_COOKIE, "", 0);
        }
        drop(conn);
        // And so does the cart they filled.
        crate::cart::owner::merge_at_sign_in(state, &user.id).await?;
        Ok(())
    }

    /// Tells shared caches and the browser's back/forward cache not to keep account pages.
    pub fn no_store() {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
        }
    }
}
