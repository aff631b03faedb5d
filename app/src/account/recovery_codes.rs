//! New recovery codes for an account with two-step sign-in on (the first ten used up, or
//! lost): after the current password and a code, ten new ones replace the old at once and are
//! shown on their own page (`paths::NEW_RECOVERY_CODES`) until the owner says they saved them,
//! or for 15 minutes. Works without JavaScript.

use crate::ui::{Field, FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shop_types::{AppError, paths};

/// Replaces the signed-in account's recovery codes, after its current password and a code
/// from the app (or an unused recovery code). Audited.
#[server(endpoint = "account/two-step/new-codes")]
pub async fn renew_recovery_codes(current_password: String, code: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize, who};
    use crate::identity::{factors, totp};
    use crate::platform::audit_trail::record;
    use crate::platform::{clock::now, errors::internal, state::app_state};
    use shop_types::Problem;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let user = &session.user;
    super::server_support::recheck_password(&state, user, current_password).await?;
    let mut tx = state.write("new recovery codes: check").await?;
    if !factors::status(&mut tx, &user.id)
        .await
        .map_err(internal("new recovery codes: status"))?
        .app
    {
        return Err(AppError::validation("", Problem::SecondFactorExpired));
    }
    let used = factors::use_code(&mut tx, &user.id, &code, now())
        .await
        .map_err(internal("new recovery codes: code"))?;
    if used.is_none() {
        return Err(AppError::validation("code", Problem::SecondFactorCodeWrong));
    }
    tx.commit()
        .await
        .map_err(internal("new recovery codes: commit"))?;
    // Hashing takes a moment per code: outside the write transaction.
    let codes = totp::recovery_codes();
    let enrolment = factors::Enrolment {
        secret: Vec::new(),
        recovery_codes: codes.clone(),
    };
    let hashes = factors::hash_recovery_codes(&enrolment)
        .await
        .map_err(internal("new recovery codes: hash"))?;
    let mut tx = state.write("new recovery codes: save").await?;
    if !factors::renew_recovery_codes(&mut tx, &user.id, &codes, &hashes, now())
        .await
        .map_err(internal("new recovery codes: save"))?
    {
        return Err(AppError::validation("", Problem::SecondFactorExpired));
    }
    record(
        &mut tx,
        &who(&session),
        "account.recovery_codes_renewed",
        &format!("user:{}", user.id),
        None,
        None,
    )
    .await
    .map_err(internal("new recovery codes: audit"))?;
    tx.commit()
        .await
        .map_err(internal("new recovery codes: commit"))?;
    leptos_axum::redirect(paths::NEW_RECOVERY_CODES);
    Ok(())
}

/// The signed-in account's new recovery codes while they are shown (empty afterwards).
#[server(endpoint = "account/two-step/new-codes/get")]
pub async fn get_new_recovery_codes() -> Result<Vec<String>, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{clock::now, errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let mut conn = state.conn("new recovery codes: acquire").await?;
    crate::identity::factors::shown_codes(&mut conn, &session.user.id, now())
        .await
        .map_err(internal("new recovery codes: read"))
}

/// The owner saved their new codes: they are no longer shown.
#[server(endpoint = "account/two-step/new-codes/saved")]
pub async fn saved_recovery_codes() -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let mut tx = state.write("new recovery codes: forget").await?;
    crate::identity::factors::forget_shown_codes(&mut tx, &session.user.id)
        .await
        .map_err(internal("new recovery codes: forget"))?;
    tx.commit()
        .await
        .map_err(internal("new recovery codes: commit"))?;
    leptos_axum::redirect("/account?done=new-codes");
    Ok(())
}

/// The form on the account page: current password and a code.
#[component]
pub fn RenewRecoveryCodesForm(action: ServerAction<RenewRecoveryCodes>) -> impl IntoView {
    let err =
        move |f: &'static str| Signal::derive(move || action.value().with(|v| error_for(v, f)));
    view! {
        <details>
            <summary>"Get new recovery codes"</summary>
            <p>"Your ten new codes replace all the old ones at once."</p>
            <ActionForm action=action attr:class="stack-form">
                <FormError error=err("")/>
                <Field id="new-codes-password" name="current_password" label="Current password"
                    kind="password" autocomplete="current-password" required=true maxlength="256"
                    error=err("current_password")/>
                <Field id="new-codes-code" name="code" label="Code from your app, or a recovery code"
                    kind="text" autocomplete="one-time-code" required=true maxlength="64"
                    error=err("code")/>
                <button type="submit" class="secondary">"Make new recovery codes"</button>
            </ActionForm>
        </details>
    }
}

/// `/account/two-step/new-codes`: the new codes, once, with "I saved them".
#[component]
pub fn NewRecoveryCodesPage() -> impl IntoView {
    let codes = Resource::new(|| (), |_| get_new_recovery_codes());
    let saved = ServerAction::<SavedRecoveryCodes>::new();
    view! {
        <Title text="Your new recovery codes"/>
        <section class="page narrow">
            <h1>"Your new recovery codes"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match codes.await {
                        Ok(codes) if codes.is_empty() => view! {
                            <p>"There are no new codes to show: they were saved, or shown long enough ago that they are hidden now (they still work)."</p>
                            <p><a href=paths::ACCOUNT>"Back to your account"</a></p>
                        }.into_any(),
                        Ok(codes) => view! {
                            <p>"Your old recovery codes no longer work. Each of these signs you in once if you lose your phone. Print them or keep them in a password manager: they are shown only now."</p>
                            <ul class="recovery-codes" aria-label="Recovery codes">
                                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                            </ul>
                            <ActionForm action=saved attr:class="stack-form">
                                <button type="submit">"I saved them"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path=paths::SIGN_IN/> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
