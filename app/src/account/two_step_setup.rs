use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_types::AppError;

/// What the person setting up two-step sign-in sees once: the key for their app (as a QR code
/// and typed by hand) and their ten recovery codes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    /// The account's e-mail address (as the app will list it).
    pub account: String,
    /// The key in groups of four letters, for typing into an app.
    pub key: String,
    /// The `otpauth://` address as an SVG QR code (drawn by the server; no script needed).
    pub qr_svg: String,
    pub recovery_codes: Vec<String>,
    /// A back-office account finishing its sign-in: it cannot skip this.
    pub required: bool,
}

/// Starts (or starts over) setting up an authenticator app for the caller: a signed-in account
/// without one, or a back-office sign-in that must set one up before it may continue. Each call
/// makes a new key and new recovery codes (the earlier unconfirmed ones stop counting).
#[server(endpoint = "account/two-step/start")]
pub async fn start_two_step_setup() -> Result<TwoStepSetup, AppError> {
    use super::server_support::{mail_context, setup_caller};
    use crate::identity::{factors, totp};
    use crate::platform::http::no_store;
    use crate::platform::{clock::now, errors::internal, state::app_state};
    use shop_types::Problem;

    no_store();
    let state = app_state()?;
    let (user, challenge) = setup_caller(&state).await?;
    let mail = mail_context(&state).await?;
    let mut tx = state.write("two-step setup: begin").await?;
    let Some(enrolment) = factors::start_enrolment(&mut tx, &user.id, now())
        .await
        .map_err(internal("two-step setup: start"))?
    else {
        return Err(AppError::conflict(Problem::SecondFactorAlreadyOn));
    };
    tx.commit()
        .await
        .map_err(internal("two-step setup: commit"))?;
    let uri = totp::otpauth_uri(&mail.store_name, &user.email, &enrolment.secret);
    let key = totp::base32(&enrolment.secret)
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(TwoStepSetup {
        account: user.email.clone(),
        key,
        qr_svg: qr_svg(&uri).map_err(internal("two-step setup: QR code"))?,
        recovery_codes: enrolment.recovery_codes,
        required: challenge.is_some(),
    })
}

/// Turns two-step sign-in on with the first code the app shows. A signed-in account gives its
/// current password too (a session left open must not be enough to lock its owner out with
/// someone else's phone); a back-office sign-in that was waiting for this has just given it,
/// and continues into the console.
#[server(endpoint = "account/two-step/confirm")]
pub async fn confirm_two_step_setup(
    code: String,
    current_password: Option<String>,
) -> Result<(), AppError> {
    use super::server_support::{finish_sign_in, setup_caller};
    use crate::identity::{factors, totp};
    use crate::platform::audit_trail::{Who, record};
    use crate::platform::rate_limit::limit_attempts;
    use crate::platform::{clock::now, errors::internal, state::app_state};
    use shop_types::Problem;

    let state = app_state()?;
    let (user, challenge) = setup_caller(&state).await?;
    limit_attempts(&state.db, &format!("two-step-setup:{}", user.id), 10).await?;
    if challenge.is_none() {
        super::server_support::recheck_password(
            &state,
            &user,
            current_password.unwrap_or_default(),
        )
        .await?;
    }
    let wrong = || AppError::validation("code", Problem::SecondFactorCodeWrong);
    let mut conn = state.conn("two-step confirm: acquire").await?;
    let Some(enrolment) = factors::pending_enrolment(&mut conn, &user.id, now())
        .await
        .map_err(internal("two-step confirm: enrolment"))?
    else {
        // Nothing in progress (it expired, or it is already on): start the page again.
        return Err(AppError::validation("", Problem::SecondFactorExpired));
    };
    drop(conn);
    // The code first, so a mistyped one costs no hashing.
    let step = (code.len() <= 64)
        .then(|| totp::verify(&enrolment.secret, &code, now().millis() / 1000, None))
        .flatten()
        .ok_or_else(wrong)?;
    let hashes = factors::hash_recovery_codes(&enrolment)
        .await
        .map_err(internal("two-step confirm: hash codes"))?;
    let mut tx = state.write("two-step confirm: begin").await?;
    let confirmed =
        factors::confirm_enrolment(&mut tx, &user.id, &enrolment.secret, step, &hashes, now())
            .await
            .map_err(internal("two-step confirm: save"))?;
    if !confirmed {
        return Err(wrong());
    }
    record(
        &mut tx,
        &Who::account(&user.id, &user.email),
        "account.second_factor_added",
        &format!("user:{}", user.id),
        None,
        Some(serde_json::json!({ "method": "app" })),
    )
    .await
    .map_err(internal("two-step confirm: audit"))?;
    tx.commit()
        .await
        .map_err(internal("two-step confirm: commit"))?;
    if let Some(token) = challenge {
        finish_sign_in(&state, &token, &user).await?;
    }
    leptos_axum::redirect("/account?done=two-step");
    Ok(())
}

/// Turns two-step sign-in off for a customer, after the current password and a code (a stolen
/// session alone cannot). Back-office accounts must keep it.
#[server(endpoint = "account/two-step/off")]
pub async fn turn_off_two_step(current_password: String, code: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize, who};
    use crate::identity::factors;
    use crate::platform::audit_trail::record;
    use crate::platform::{clock::now, errors::internal, state::app_state};
    use shop_types::Problem;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let user = &session.user;
    if factors::requires_factor(user.role) {
        return Err(AppError::validation("", Problem::SecondFactorRequired));
    }
    super::server_support::recheck_password(&state, user, current_password).await?;
    let mut tx = state.write("two-step off: begin").await?;
    let used = factors::use_code(&mut tx, &user.id, &code, now())
        .await
        .map_err(internal("two-step off: check"))?;
    if used.is_none() {
        return Err(AppError::validation("code", Problem::SecondFactorCodeWrong));
    }
    factors::remove(&mut tx, &user.id)
        .await
        .map_err(internal("two-step off: remove"))?;
    record(
        &mut tx,
        &who(&session),
        "account.second_factor_removed",
        &format!("user:{}", user.id),
        Some(serde_json::json!({ "method": "app" })),
        None,
    )
    .await
    .map_err(internal("two-step off: audit"))?;
    tx.commit()
        .await
        .map_err(internal("two-step off: commit"))?;
    leptos_axum::redirect("/account?done=two-step-off");
    Ok(())
}

/// `text` as a QR code in SVG: one path of dark squares on white, with the four-module quiet
/// zone scanners need, scaled by the page (`viewBox`).
#[cfg(feature = "ssr")]
fn qr_svg(text: &str) -> Result<String, qrcode::types::QrError> {
    use std::fmt::Write;
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)?;
    let width = code.width();
    let quiet = 4;
    let side = width + 2 * quiet;
    let mut path = String::new();
    for (i, colour) in code.to_colors().into_iter().enumerate() {
        if colour == qrcode::Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            let _ = write!(path, "M{x} {y}h1v1h-1z");
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code with the key for your authenticator app\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}
