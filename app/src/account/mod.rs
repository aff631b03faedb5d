//! Accounts: registration with e-mail confirmation, sign-in and sign-out, server-side sessions
//! (listed and revocable by their owner), roles and the authorisation helper (`auth`).
//!
//! Pages and server functions are one per file; the rules live in `account_service`,
//! `passwords` and `sessions`, which tests call directly.

mod account_page;
mod check_inbox_page;
mod confirm_email;
mod confirm_email_page;
mod get_account;
mod register_account;
mod register_page;
mod revoke_session;
mod sign_in;
mod sign_in_page;
mod sign_out;
mod sign_out_everywhere;

pub use account_page::AccountPage;
pub use check_inbox_page::CheckInboxPage;
pub use confirm_email::{ConfirmEmail, confirm_email};
pub use confirm_email_page::ConfirmEmailPage;
pub use get_account::{AccountView, GetAccount, SessionView, get_account};
pub use register_account::{RegisterAccount, register_account};
pub use register_page::RegisterPage;
pub use revoke_session::{RevokeSession, revoke_session};
pub use sign_in::{SignIn, sign_in};
pub use sign_in_page::SignInPage;
pub use sign_out::{SignOut, sign_out};
pub use sign_out_everywhere::{SignOutEverywhere, sign_out_everywhere};

#[cfg(feature = "ssr")]
pub mod account_service;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod users;

/// Server-side helpers shared by this folder's server functions.
#[cfg(feature = "ssr")]
mod server_support {
    use super::account_service::{AccountError, MailContext};
    use crate::platform::errors::internal;
    use crate::platform::state::AppState;
    use shop_types::AppError;

    /// Maps a service error to what the caller may see.
    pub fn to_app_error(err: AccountError) -> AppError {
        match err {
            AccountError::Password(e) => AppError::validation("password", e.to_string()),
            e @ (AccountError::BadCredentials
            | AccountError::NotVerified
            | AccountError::BadLink) => AppError::validation("", e.to_string()),
            other => internal("account")(other),
        }
    }

    /// Store name and public URL, for the links and words of account mails.
    pub async fn mail_context(state: &AppState) -> Result<MailContext, AppError> {
        let mut conn = state
            .db
            .pool()
            .acquire()
            .await
            .map_err(internal("mail context: acquire"))?;
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
