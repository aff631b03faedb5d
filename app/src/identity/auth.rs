//! Who is calling, and may they? The one authorisation helper every server function uses.
//!
//! A server function starts with `let caller = authorize(&state, Access::...).await?;`. The
//! rule names both the role or permission needed and, for data that belongs to someone, the
//! owner: `Access::Owner(user_id)` lets only that account (or staff allowed to manage
//! customers) through. Anonymous callers get `Unauthorized`, others `Forbidden`.

use super::sessions::{self, Session};
use crate::platform::errors::internal;
use crate::platform::state::AppState;
use axum::http::{HeaderValue, header};
use leptos::prelude::use_context;
use shop_types::{AppError, Permission, Role, Timestamp};

use shop_types::paths::cookies::{self, CookieName};

fn secure(state: &AppState) -> bool {
    state.config.public_url.starts_with("https://")
}

fn cookie_name(state: &AppState) -> &'static str {
    cookies::SESSION.pick(secure(state))
}

/// The session token the request's cookie carries, if any.
pub fn session_token(state: &AppState) -> Option<String> {
    cookie_value_named(cookie_name(state))
}

/// The value of the request's cookie `name` (its `__Host-` name over HTTPS), if it sent one.
pub fn cookie_value(state: &AppState, name: CookieName) -> Option<String> {
    cookie_value_named(name.pick(secure(state)))
}

fn cookie_value_named(name: &str) -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The request's `User-Agent`, for the list of active sessions.
pub fn user_agent() -> String {
    use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

/// Sends the session cookie with the response.
pub fn set_session_cookie(state: &AppState, token: &str, expires_at: Timestamp) {
    let max_age = ((expires_at.millis() - crate::platform::clock::now().millis()) / 1000).max(0);
    let secure_attr = if secure(state) { "; Secure" } else { "" };
    let cookie = format!(
        "{}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure_attr}",
        cookie_name(state)
    );
    append_cookie(&cookie);
}

/// Sends a long-lived, script-inaccessible cookie (`max_age_secs` 0 deletes it).
pub fn set_cookie(state: &AppState, name: CookieName, value: &str, max_age_secs: i64) {
    let https = secure(state);
    let secure_attr = if https { "; Secure" } else { "" };
    let name = name.pick(https);
    append_cookie(&format!(
        "{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure_attr}"
    ));
}

/// Tells the browser to forget the session cookie.
pub fn clear_session_cookie(state: &AppState) {
    let secure_attr = if secure(state) { "; Secure" } else { "" };
    append_cookie(&format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure_attr}",
        cookie_name(state)
    ));
}

fn append_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(cookie),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// The session of a request handled outside Leptos (file downloads), from its headers.
pub async fn session_from_headers(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<Option<Session>, AppError> {
    let name = cookie_name(state);
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned());
    let Some(token) = token else {
        return Ok(None);
    };
    let mut conn = state.conn("session: acquire").await?;
    sessions::find(&mut conn, state.db.vault(), &token)
        .await
        .map_err(internal("session: find"))
}

/// [`authorize`] for a request handled outside Leptos.
pub async fn authorize_headers(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    access: Access<'_>,
) -> Result<Session, AppError> {
    let session = session_from_headers(state, headers)
        .await?
        .ok_or(AppError::Unauthorized)?;
    check(session, access)
}

/// The caller's live session, if signed in.
pub async fn current_session(state: &AppState) -> Result<Option<Session>, AppError> {
    let Some(token) = session_token(state) else {
        return Ok(None);
    };
    let mut conn = state.conn("session: acquire").await?;
    sessions::find(&mut conn, state.db.vault(), &token)
        .await
        .map_err(internal("session: find"))
}

/// What a server function requires of its caller.
#[derive(Clone, Debug)]
pub enum Access<'a> {
    /// Any signed-in account.
    SignedIn,
    /// One of these roles.
    Role(&'a [Role]),
    /// An admin, or staff holding this permission.
    Permission(Permission),
    /// The account that owns the object (or staff who may manage customers).
    Owner(&'a str),
}

/// The caller of a request, as the audit log names them.
pub fn who(session: &Session) -> crate::platform::audit_trail::Who {
    crate::platform::audit_trail::Who::account(&session.user.id, &session.user.email)
}

/// Checks the caller against `access`; returns their session.
pub async fn authorize(state: &AppState, access: Access<'_>) -> Result<Session, AppError> {
    let session = current_session(state)
        .await?
        .ok_or(AppError::Unauthorized)?;
    check(session, access)
}

fn check(session: Session, access: Access<'_>) -> Result<Session, AppError> {
    let user = &session.user;
    let allowed = match access {
        Access::SignedIn => true,
        Access::Role(roles) => roles.contains(&user.role),
        Access::Permission(permission) => user.has_permission(permission),
        Access::Owner(owner_id) => {
            user.id == owner_id || user.has_permission(Permission::ManageCustomers)
        }
    };
    if allowed {
        Ok(session)
    } else {
        Err(AppError::Forbidden)
    }
}
