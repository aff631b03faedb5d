//! Passkeys (WebAuthn) as the database keeps them; the checks of what browsers answer are
//! `webauthn-rs`'s (a maintained relying-party implementation: challenge, origin, relying-party
//! id, signature, user verification and the signature counter).
//!
//! - Registration: [`begin_registration`] keeps the challenge (a *ceremony*, single-use, five
//!   minutes) and gives the browser its options; [`finish_registration`] checks the new
//!   passkey against it and stores it. User verification (PIN, fingerprint, face) is required,
//!   so a passkey is two factors on its own: something owned and something known or been.
//! - Sign-in without a password: [`begin_sign_in`] asks for any passkey of this shop (the
//!   authenticator offers the ones it keeps); [`finish_sign_in`] finds the account by the
//!   passkey's user handle and credential id, checks the signature and updates the counter.
//! - The relying party is the shop's public address ([`relying_party`]); a shop run at a bare IP
//!   address has none, since browsers refuse passkeys for IP addresses (a loopback address is
//!   taken as `localhost`, for local use).

use super::users::User;
use crate::platform::ids::new_id;
use crate::platform::secrets::{hash_secret, new_secret};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use shop_types::{Problem, Timestamp};
use sqlx::{AnyConnection, Row};
use webauthn_rs::prelude::{
    CreationChallengeResponse, DiscoverableAuthentication, Passkey, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, Url, Uuid,
    Webauthn, WebauthnBuilder, WebauthnError,
};
use webauthn_rs_proto::ResidentKeyRequirement;

/// How long a browser has between the two halves of a registration or sign-in.
pub const CEREMONY_TTL: i64 = 5 * Timestamp::MINUTE;
/// Passkeys one account may have.
pub const MAX_PER_ACCOUNT: u32 = 10;
/// The longest name an owner may give a passkey (characters).
pub const NAME_MAX: u32 = 60;
/// The largest answer from a browser that is read (a real one is a few kilobytes).
pub const ANSWER_MAX_BYTES: usize = 64 * 1024;

/// Why a passkey was refused, or the database failed.
#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    #[error("passkey refused: {0:?}")]
    Refused(Problem),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<Problem> for PasskeyError {
    fn from(problem: Problem) -> Self {
        Self::Refused(problem)
    }
}

/// The relying party for a shop at `public_url` named `shop_name`, or `None` when passkeys
/// cannot belong to that address (a bare IP address other than loopback).
pub fn relying_party(public_url: &str, shop_name: &str) -> Option<Webauthn> {
    let url = Url::parse(public_url).ok()?;
    let host = url.host_str()?;
    let ip = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>();
    let (rp_id, origin) = match ip {
        Err(_) => (host.to_owned(), url.clone()),
        Ok(ip) if ip.is_loopback() => local_origin(&url)?,
        Ok(_) => return None,
    };
    WebauthnBuilder::new(&rp_id, &origin)
        .ok()?
        .rp_name(shop_name)
        .build()
        .ok()
}

/// `http://127.0.0.1:3000` as `localhost` (the relying-party id browsers accept there).
fn local_origin(url: &Url) -> Option<(String, Url)> {
    let mut local = url.clone();
    local.set_host(Some("localhost")).ok()?;
    Some(("localhost".to_owned(), local))
}

/// A passkey as its owner sees it in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub id: String,
    pub name: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// `user_id`'s passkeys, oldest first.
pub async fn list(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<Summary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, created_at, last_used_at FROM passkeys WHERE user_id = $1
         ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Summary {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                created_at: Timestamp(r.try_get("created_at")?),
                last_used_at: r.try_get::<Option<i64>, _>("last_used_at")?.map(Timestamp),
            })
        })
        .collect()
}

/// A passkey's name as given by its owner: trimmed, at most [`NAME_MAX`] characters; an empty
/// one becomes `fallback`.
pub fn clean_name(name: &str, fallback: &str) -> Result<String, Problem> {
    let name = name.trim();
    if name.chars().count() > NAME_MAX as usize || name.chars().any(char::is_control) {
        return Err(Problem::PasskeyNameLength { max: NAME_MAX });
    }
    Ok(if name.is_empty() { fallback } else { name }.to_owned())
}

/// What a registration keeps between its two halves.
#[derive(Serialize, Deserialize)]
struct Registering {
    handle: Uuid,
    name: String,
    registration: PasskeyRegistration,
}

/// Starts adding a passkey named `name` (already cleaned) to `user`: returns the ceremony's
/// token and the options for the browser. Refused when the account has its maximum.
pub async fn begin_registration(
    conn: &mut AnyConnection,
    rp: &Webauthn,
    user: &User,
    name: &str,
    now: Timestamp,
) -> Result<(String, CreationChallengeResponse), PasskeyError> {
    let existing = credentials_of(&mut *conn, &user.id).await?;
    if existing.len() >= MAX_PER_ACCOUNT as usize {
        return Err(Problem::PasskeyLimit {
            max: MAX_PER_ACCOUNT,
        }
        .into());
    }
    let handle = match user_handle(&mut *conn, &user.id).await? {
        Some(handle) => handle,
        None => Uuid::new_v4(),
    };
    let display = if user.name.trim().is_empty() {
        &user.email
    } else {
        &user.name
    };
    let exclude = existing.iter().map(|p| p.cred_id().clone()).collect();
    let (mut options, registration) = rp
        .start_passkey_registration(handle, &user.email, display, Some(exclude))
        .map_err(|e| {
            tracing::warn!(error = %e, "passkey registration could not start");
            Problem::PasskeyFailed
        })?;
    // Ask for a passkey the authenticator keeps (discoverable), so that it can later sign in
    // without typing an e-mail address first; platform passkeys always are.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Preferred);
    }
    let state = serde_json::to_string(&Registering {
        handle,
        name: name.to_owned(),
        registration,
    })
    .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let token = open_ceremony(conn, "register", Some(&user.id), &state, now).await?;
    Ok((token, options))
}

/// Finishes the registration behind `token` for `user_id` with the browser's `answer` (JSON):
/// checks it and stores the passkey. Returns the new passkey's id and name.
pub async fn finish_registration(
    conn: &mut AnyConnection,
    rp: &Webauthn,
    token: &str,
    user_id: &str,
    answer: &str,
    now: Timestamp,
) -> Result<(String, String), PasskeyError> {
    let state = take_ceremony(&mut *conn, token, "register", Some(user_id), now)
        .await?
        .ok_or(Problem::PasskeyExpired)?;
    let state: Registering = serde_json::from_str(&state).map_err(|e| {
        tracing::error!(error = %e, "a stored passkey registration is unreadable");
        Problem::PasskeyExpired
    })?;
    let answer: RegisterPublicKeyCredential = read_answer(answer)?;
    // A passkey registered already (the browser should have refused it, as the options
    // exclude this account's): say so rather than "failed". Checked again below on the
    // verified id.
    if is_registered(&mut *conn, &URL_SAFE_NO_PAD.encode(&answer.raw_id)).await? {
        return Err(Problem::PasskeyAlreadyAdded.into());
    }
    let passkey = rp
        .finish_passkey_registration(&answer, &state.registration)
        .map_err(|e| match e {
            // A passkey of this account's, in the options' exclusion list.
            WebauthnError::CredentialAlreadyExists => Problem::PasskeyAlreadyAdded,
            e => {
                tracing::info!(error = %e, "passkey registration refused");
                Problem::PasskeyFailed
            }
        })?;
    let credential_id = URL_SAFE_NO_PAD.encode::<&[u8]>(passkey.cred_id().as_ref());
    if is_registered(&mut *conn, &credential_id).await? {
        return Err(Problem::PasskeyAlreadyAdded.into());
    }
    // Counted again: two registrations may have started side by side.
    if credentials_of(&mut *conn, user_id).await?.len() >= MAX_PER_ACCOUNT as usize {
        return Err(Problem::PasskeyLimit {
            max: MAX_PER_ACCOUNT,
        }
        .into());
    }
    let id = new_id().as_str().to_owned();
    let credential =
        serde_json::to_string(&passkey).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO passkeys (id, user_id, user_handle, credential_id, name, credential, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(state.handle.to_string())
    .bind(&credential_id)
    .bind(&state.name)
    .bind(&credential)
    .bind(now.millis())
    .execute(&mut *conn)
    .await?;
    Ok((id, state.name))
}

/// Starts a sign-in with any passkey of this shop: the ceremony's token and the options for the
/// browser.
pub async fn begin_sign_in(
    conn: &mut AnyConnection,
    rp: &Webauthn,
    now: Timestamp,
) -> Result<(String, RequestChallengeResponse), PasskeyError> {
    let (mut options, authentication) = rp.start_discoverable_authentication().map_err(|e| {
        tracing::warn!(error = %e, "passkey sign-in could not start");
        Problem::PasskeyFailed
    })?;
    // The shopper pressed "Sign in with a passkey": a prompt now, not autofill.
    options.mediation = None;
    let state =
        serde_json::to_string(&authentication).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let token = open_ceremony(conn, "sign_in", None, &state, now).await?;
    Ok((token, options))
}

/// Whose passkey signed in: the account, and the passkey's id and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: String,
    pub passkey_id: String,
    pub passkey_name: String,
}

/// Finishes the sign-in behind `token` with the browser's `answer` (JSON): finds the passkey,
/// checks the signature and user verification, and keeps its new counter.
pub async fn finish_sign_in(
    conn: &mut AnyConnection,
    rp: &Webauthn,
    token: &str,
    answer: &str,
    now: Timestamp,
) -> Result<SignedIn, PasskeyError> {
    let state = take_ceremony(&mut *conn, token, "sign_in", None, now)
        .await?
        .ok_or(Problem::PasskeyExpired)?;
    let state: DiscoverableAuthentication = serde_json::from_str(&state).map_err(|e| {
        tracing::error!(error = %e, "a stored passkey sign-in is unreadable");
        Problem::PasskeyExpired
    })?;
    let answer: PublicKeyCredential = read_answer(answer)?;
    let (handle, credential_id) = rp
        .identify_discoverable_authentication(&answer)
        .map_err(|_| Problem::PasskeyUnknown)?;
    let credential_id = URL_SAFE_NO_PAD.encode(credential_id);
    let Some(row) = sqlx::query(
        "SELECT id, user_id, name, credential FROM passkeys
         WHERE credential_id = $1 AND user_handle = $2",
    )
    .bind(&credential_id)
    .bind(handle.to_string())
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Err(Problem::PasskeyUnknown.into());
    };
    let id: String = row.try_get("id")?;
    let mut passkey: Passkey = serde_json::from_str(&row.try_get::<String, _>("credential")?)
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let result = rp
        .finish_discoverable_authentication_v2(&answer, state, &passkey)
        .map_err(|e| {
            // A counter that went backwards (a cloned authenticator) ends up here too.
            tracing::warn!(error = %e, passkey = %id, "passkey sign-in refused");
            Problem::PasskeyFailed
        })?;
    passkey.update_credential(&result);
    let credential =
        serde_json::to_string(&passkey).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("UPDATE passkeys SET credential = $1, last_used_at = $2 WHERE id = $3")
        .bind(&credential)
        .bind(now.millis())
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    Ok(SignedIn {
        user_id: row.try_get("user_id")?,
        passkey_id: id,
        passkey_name: row.try_get("name")?,
    })
}

/// Renames `user_id`'s passkey `id`; false if they have no such passkey.
pub async fn rename(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE passkeys SET name = $1 WHERE id = $2 AND user_id = $3")
        .bind(name)
        .bind(id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes `user_id`'s passkey `id`; returns its name, or `None` if they have no such passkey.
pub async fn remove(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("DELETE FROM passkeys WHERE id = $1 AND user_id = $2 RETURNING name")
        .bind(id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await
}

/// Deletes ceremonies that ran out unused; returns how many (the hourly clean-up).
pub async fn prune_ceremonies(db: &crate::platform::db::Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at < $1")
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// The browser's answer, read only when it is of a sane size.
fn read_answer<T: serde::de::DeserializeOwned>(answer: &str) -> Result<T, PasskeyError> {
    if answer.len() > ANSWER_MAX_BYTES {
        return Err(Problem::PasskeyFailed.into());
    }
    serde_json::from_str(answer).map_err(|e| {
        tracing::info!(error = %e, "a passkey answer is not what a browser sends");
        Problem::PasskeyFailed.into()
    })
}

async fn credentials_of(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<Passkey>, sqlx::Error> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT credential FROM passkeys WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|text| serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(Box::new(e))))
        .collect()
}

async fn is_registered(conn: &mut AnyConnection, credential_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM passkeys WHERE credential_id = $1")
        .bind(credential_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

async fn user_handle(conn: &mut AnyConnection, user_id: &str) -> Result<Option<Uuid>, sqlx::Error> {
    let handle: Option<String> =
        sqlx::query_scalar("SELECT user_handle FROM passkeys WHERE user_id = $1 LIMIT 1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(handle.and_then(|h| Uuid::parse_str(&h).ok()))
}

async fn open_ceremony(
    conn: &mut AnyConnection,
    purpose: &str,
    user_id: Option<&str>,
    state: &str,
    now: Timestamp,
) -> Result<String, sqlx::Error> {
    let token = new_secret();
    sqlx::query(
        "INSERT INTO passkey_ceremonies (token_hash, purpose, user_id, state, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash_secret(&token))
    .bind(purpose)
    .bind(user_id)
    .bind(state)
    .bind(now.plus_millis(CEREMONY_TTL).millis())
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// The state of the live ceremony behind `token`, deleted as it is read: each is used once,
/// whatever the answer. A registration must be finished by the account that began it.
async fn take_ceremony(
    conn: &mut AnyConnection,
    token: &str,
    purpose: &str,
    user_id: Option<&str>,
    now: Timestamp,
) -> Result<Option<String>, sqlx::Error> {
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    let row = sqlx::query(
        "DELETE FROM passkey_ceremonies WHERE token_hash = $1 AND purpose = $2
         RETURNING user_id, state, expires_at",
    )
    .bind(hash_secret(token))
    .bind(purpose)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let owner: Option<String> = row.try_get("user_id")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    if now.millis() >= expires_at || owner.as_deref() != user_id {
        return Ok(None);
    }
    Ok(Some(row.try_get("state")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relying_party_is_the_public_address() {
        assert!(relying_party("https://shop.example.com", "Shop").is_some());
        // Loopback stands for localhost; other IP addresses cannot hold passkeys.
        assert!(relying_party("http://127.0.0.1:3000", "Shop").is_some());
        assert!(relying_party("http://[::1]:3000", "Shop").is_some());
        assert!(relying_party("http://192.0.2.10", "Shop").is_none());
        assert!(relying_party("not a url", "Shop").is_none());
    }

    #[test]
    fn names_are_trimmed_bounded_and_never_empty() {
        assert_eq!(clean_name("  Phone ", "Passkey").unwrap(), "Phone");
        assert_eq!(clean_name("", "Passkey").unwrap(), "Passkey");
        assert!(clean_name(&"x".repeat(61), "Passkey").is_err());
        assert!(clean_name("a\u{7}b", "Passkey").is_err());
        assert_eq!(
            clean_name(&"é".repeat(60), "P").unwrap().chars().count(),
            60
        );
    }
}
