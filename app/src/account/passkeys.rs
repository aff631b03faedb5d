//! Passkeys on the account page: add one (after the current password, then the browser's
//! prompt), rename and remove them. The browser's side is in `passkey_browser`; the checks and
//! storage in `identity::passkeys`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_types::{AppError, Timestamp};

/// A passkey ceremony for the browser to carry out: its token (sent back with the answer) and
/// the options for `navigator.credentials` as JSON, in the form that
/// `PublicKeyCredential.parseCreationOptionsFromJSON` (or `…RequestOptions…`) reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyPrompt {
    pub ceremony: String,
    pub options: String,
}

/// One of the account's passkeys as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: String,
    pub name: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// Starts adding a passkey named `name` to the signed-in account. The current password is asked
/// first: a session left open on a shared computer must not be enough to plant a way back in.
#[server(endpoint = "account/passkeys/start")]
pub async fn start_adding_passkey(
    name: String,
    current_password: String,
) -> Result<PasskeyPrompt, AppError> {
    use super::server_support::{passkey_error, relying_party};
    use crate::identity::auth::{Access, authorize};
    use crate::identity::passkeys;
    use crate::platform::http::no_store;
    use crate::platform::{clock::now, errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let user = &session.user;
    let rp = relying_party(&state).await?;
    let name = passkeys::clean_name(&name, &default_name(now()))
        .map_err(|p| AppError::validation("name", p))?;
    super::server_support::recheck_password(&state, user, current_password).await?;
    let mut tx = state.write("add passkey: begin").await?;
    let (ceremony, options) = passkeys::begin_registration(&mut tx, &rp, user, &name, now())
        .await
        .map_err(passkey_error("add passkey: start"))?;
    tx.commit().await.map_err(internal("add passkey: commit"))?;
    Ok(PasskeyPrompt {
        ceremony,
        options: options_json(&options.public_key)?,
    })
}

/// Finishes adding a passkey with what the browser's prompt gave (`answer`, the credential's
/// JSON). Audited.
#[server(endpoint = "account/passkeys/finish")]
pub async fn finish_adding_passkey(ceremony: String, answer: String) -> Result<(), AppError> {
    use super::server_support::{passkey_error, relying_party};
    use crate::identity::auth::{Access, authorize, who};
    use crate::identity::passkeys;
    use crate::platform::audit_trail::record;
    use crate::platform::{clock::now, errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let rp = relying_party(&state).await?;
    let mut tx = state.write("add passkey: finish").await?;
    let added =
        passkeys::finish_registration(&mut tx, &rp, &ceremony, &session.user.id, &answer, now())
            .await;
    let (id, name) = match added {
        Ok(added) => added,
        Err(e) => {
            // The ceremony is spent whatever the answer was.
            tx.commit().await.map_err(internal("add passkey: commit"))?;
            return Err(passkey_error("add passkey: finish")(e));
        }
    };
    record(
        &mut tx,
        &who(&session),
        "account.passkey_added",
        &format!("user:{}", session.user.id),
        None,
        Some(serde_json::json!({ "passkey": id, "name": name })),
    )
    .await
    .map_err(internal("add passkey: audit"))?;
    tx.commit().await.map_err(internal("add passkey: commit"))?;
    Ok(())
}

/// Renames one of the signed-in account's passkeys.
#[server(endpoint = "account/passkeys/rename")]
pub async fn rename_passkey(id: String, name: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::identity::passkeys;
    use crate::platform::{clock::now, errors::internal, state::app_state};
    use shop_types::Problem;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let name = passkeys::clean_name(&name, &default_name(now()))
        .map_err(|p| AppError::validation("name", p))?;
    let mut tx = state.write("rename passkey: begin").await?;
    if !passkeys::rename(&mut tx, &session.user.id, &id, &name)
        .await
        .map_err(internal("rename passkey"))?
    {
        return Err(AppError::validation("", Problem::PasskeyUnknown));
    }
    tx.commit()
        .await
        .map_err(internal("rename passkey: commit"))?;
    leptos_axum::redirect("/account?done=passkey-renamed");
    Ok(())
}

/// Removes one of the signed-in account's passkeys, after the current password. Audited.
#[server(endpoint = "account/passkeys/remove")]
pub async fn remove_passkey(id: String, current_password: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize, who};
    use crate::identity::passkeys;
    use crate::platform::audit_trail::record;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Problem;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let user = &session.user;
    super::server_support::recheck_password(&state, user, current_password).await?;
    let mut tx = state.write("remove passkey: begin").await?;
    let Some(name) = passkeys::remove(&mut tx, &user.id, &id)
        .await
        .map_err(internal("remove passkey"))?
    else {
        return Err(AppError::validation("", Problem::PasskeyUnknown));
    };
    record(
        &mut tx,
        &who(&session),
        "account.passkey_removed",
        &format!("user:{}", user.id),
        Some(serde_json::json!({ "passkey": id, "name": name })),
        None,
    )
    .await
    .map_err(internal("remove passkey: audit"))?;
    tx.commit()
        .await
        .map_err(internal("remove passkey: commit"))?;
    leptos_axum::redirect("/account?done=passkey-removed");
    Ok(())
}

/// Starts a sign-in with a passkey alone (no e-mail address, no password): the browser offers
/// the passkeys it keeps for this shop. At most 30 per 15 minutes from one IP address.
#[server(endpoint = "account/passkey-sign-in/start")]
pub async fn start_passkey_sign_in() -> Result<PasskeyPrompt, AppError> {
    use super::server_support::{passkey_error, relying_party};
    use crate::identity::passkeys;
    use crate::platform::http::{client_ip, no_store};
    use crate::platform::rate_limit::limit_attempts;
    use crate::platform::{clock::now, errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    let rp = relying_party(&state).await?;
    limit_attempts(
        &state.db,
        &format!("passkey-sign-in:ip:{}", client_ip()),
        state.config.sign_in_ip_limit,
    )
    .await?;
    let mut tx = state.write("passkey sign-in: begin").await?;
    let (ceremony, options) = passkeys::begin_sign_in(&mut tx, &rp, now())
        .await
        .map_err(passkey_error("passkey sign-in: start"))?;
    tx.commit()
        .await
        .map_err(internal("passkey sign-in: commit"))?;
    Ok(PasskeyPrompt {
        ceremony,
        options: options_json(&options.public_key)?,
    })
}

/// Finishes a passkey sign-in with the browser's answer: the session starts at once (the
/// passkey checked the person too, so no code is asked). Returns where the browser goes next.
/// Every attempt is audited.
#[server(endpoint = "account/passkey-sign-in/finish")]
pub async fn finish_passkey_sign_in(ceremony: String, answer: String) -> Result<String, AppError> {
    use super::server_support::{passkey_error, relying_party, start_session};
    use crate::identity::passkeys::{self, PasskeyError};
    use crate::platform::audit_trail::{Who, record};
    use crate::platform::{clock::now, errors::internal, state::app_state};
    use shop_types::{Problem, paths};

    let state = app_state()?;
    let rp = relying_party(&state).await?;
    let mut tx = state.write("passkey sign-in: finish").await?;
    let signed_in = match passkeys::finish_sign_in(&mut tx, &rp, &ceremony, &answer, now()).await {
        Ok(signed_in) => signed_in,
        Err(e) => {
            if let PasskeyError::Refused(problem) = &e {
                record(
                    &mut tx,
                    &Who::anonymous("passkey"),
                    "account.sign_in_failed",
                    "passkey",
                    None,
                    Some(serde_json::json!({ "reason": format!("{problem:?}") })),
                )
                .await
                .map_err(internal("passkey sign-in: audit"))?;
                // The ceremony is spent whatever the answer was.
                tx.commit()
                    .await
                    .map_err(internal("passkey sign-in: commit"))?;
            }
            return Err(passkey_error("passkey sign-in: finish")(e));
        }
    };
    let user = crate::identity::users::find_by_id(&mut tx, state.db.vault(), &signed_in.user_id)
        .await
        .map_err(internal("passkey sign-in: account"))?
        .filter(|u| !u.disabled && u.email_verified)
        .ok_or_else(|| AppError::validation("", Problem::PasskeyUnknown))?;
    record(
        &mut tx,
        &Who::account(&user.id, &user.email),
        "account.passkey_used",
        &format!("user:{}", user.id),
        None,
        Some(
            serde_json::json!({ "passkey": signed_in.passkey_id, "name": signed_in.passkey_name }),
        ),
    )
    .await
    .map_err(internal("passkey sign-in: audit"))?;
    tx.commit()
        .await
        .map_err(internal("passkey sign-in: commit"))?;
    start_session(&state, &user).await?;
    Ok(paths::ACCOUNT.to_owned())
}

/// The name a passkey gets when its owner gives none: the browser it was added in ("Chrome on
/// Android"), else the day.
#[cfg(feature = "ssr")]
fn default_name(now: Timestamp) -> String {
    crate::identity::devices::describe(&crate::identity::auth::user_agent())
        .unwrap_or_else(|| now.to_rfc3339()[..10].to_owned())
}

/// The `publicKey` options as JSON for the browser.
#[cfg(feature = "ssr")]
fn options_json(options: &impl Serialize) -> Result<String, AppError> {
    serde_json::to_string(options).map_err(crate::platform::errors::internal("passkey: options"))
}
