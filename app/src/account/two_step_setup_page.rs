use super::{ConfirmTwoStepSetup, TwoStepSetup, start_two_step_setup};
use crate::ui::{Field, FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shop_types::{AppError, paths};

/// `/account/two-step/setup`: a QR code and the same key to type, the recovery codes (shown
/// this once), and the first code from the app to turn it on. Back-office accounts land here
/// during their first sign-in and cannot go on without it.
#[component]
pub fn TwoStepSetupPage() -> impl IntoView {
    let setup = Resource::new(|| (), |_| start_two_step_setup());
    view! {
        <Title text="Set up two-step sign-in"/>
        <section class="page narrow">
            <h1>"Set up two-step sign-in"</h1>
            <Suspense fallback=|| view! { <p>"Making your key…"</p> }>
                {move || Suspend::new(async move {
                    match setup.await {
                        Ok(setup) => view! { <SetupSteps setup/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path=paths::SIGN_IN/> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> <p><a href=paths::ACCOUNT>"Back to your account"</a></p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SetupSteps(setup: TwoStepSetup) -> impl IntoView {
    let action = ServerAction::<ConfirmTwoStepSetup>::new();
    let value = action.value();
    let err =
        move |field: &'static str| Signal::derive(move || value.with(|v| error_for(v, field)));
    let intro = if setup.required {
        "Back-office accounts sign in with a password and a code from an app on their phone. Set it up now to continue."
    } else {
        "After your password, the shop will ask for a code from an app on your phone, so a stolen password alone no longer opens your account."
    };
    view! {
        <p>{intro}</p>
        <h2>"1. Add the shop to your authenticator app"</h2>
        <p>"Scan this code with an authenticator app (for example Aegis, FreeOTP, Google Authenticator or 1Password)."</p>
        <div class="qr-code" inner_html=setup.qr_svg></div>
        <div class="field">
            <label for="two-step-key">"Cannot scan? Add an account by hand with this key (time-based, six digits)"</label>
            <input id="two-step-key" class="secret-key" type="text" readonly=true value=setup.key
                autocomplete="off" spellcheck="false"/>
        </div>
        <p>"The app lists it as " <strong>{setup.account}</strong> "."</p>
        <h2>"2. Keep your recovery codes"</h2>
        <p>"If you lose your phone, each of these codes signs you in once. Print them or keep them in a password manager: they are shown only now."</p>
        <ul class="recovery-codes" aria-label="Recovery codes">
            {setup.recovery_codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
        </ul>
        <h2>"3. Enter the code your app shows"</h2>
        <ActionForm action=action attr:class="stack-form">
            <FormError error=err("")/>
            <Field id="two-step-setup-code" name="code" label="Six-digit code from the app" kind="text"
                autocomplete="one-time-code" required=true maxlength="64" error=err("code")/>
            {(!setup.required).then(|| view! {
                <Field id="two-step-setup-password" name="current_password" label="Current password"
                    kind="password" autocomplete="current-password" required=true maxlength="256"
                    error=err("current_password")/>
            })}
            <button type="submit" disabled=move || action.pending().get()>"Turn on two-step sign-in"</button>
        </ActionForm>
    }
}
