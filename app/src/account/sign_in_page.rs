use super::SignIn;
use crate::ui::{Field, FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/account/sign-in`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let value = action.value();
    let err =
        move |field: &'static str| Signal::derive(move || value.with(|v| error_for(v, field)));
    // A confirmation link used in a browser that did not register signs no one in.
    let query = use_query_map();
    let confirmed = move || {
        query
            .with(|q| q.get("confirmed").is_some())
            .then_some("Your e-mail address is confirmed. Sign in to continue.")
    };
    view! {
        <Title text="Sign in"/>
        <section class="page narrow">
            <h1>"Sign in"</h1>
            <p class="form-success" role="status">{confirmed}</p>
            <ActionForm action=action attr:class="stack-form">
                <FormError error=err("")/>
                <Field id="sign-in-email" name="email" label="E-mail address" kind="email"
                    autocomplete="username" required=true maxlength="254" error=err("email")/>
                <Field id="sign-in-password" name="password" label="Password" kind="password"
                    autocomplete="current-password" required=true maxlength="256" error=err("password")/>
                <button type="submit" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
            <PasskeySignIn/>
            <p><a href="/account/forgot">"Forgot your password?"</a></p>
            <p>"New here? " <a href="/account/register">"Create an account"</a></p>
        </section>
    }
}

/// "Sign in with a passkey": no address, no password, no code. Shown once the page runs in a
/// browser that can use passkeys.
#[component]
fn PasskeySignIn() -> impl IntoView {
    use super::passkey_browser;
    use shop_types::AppError;
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(passkey_browser::supported()));
    let result = RwSignal::new(None::<Result<(), AppError>>);
    let busy = RwSignal::new(false);
    let err = Signal::derive(move || result.with(|v| error_for(v, "")));
    let on_click = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        result.set(None);
        leptos::task::spawn_local(async move {
            match passkey_sign_in().await {
                Ok(next) => {
                    // A full load: the header, cart and account all change with the session.
                    let _ = window().location().assign(&next);
                }
                Err(e) => {
                    result.set(Some(Err(e)));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <div class="passkey-sign-in" hidden=move || !ready.get()>
            <p class="or">"or"</p>
            <FormError error=err/>
            <button type="button" class="secondary" on:click=on_click disabled=move || busy.get()>
                "Sign in with a passkey"
            </button>
        </div>
    }
}

async fn passkey_sign_in() -> Result<String, shop_types::AppError> {
    let prompt = super::start_passkey_sign_in().await?;
    let answer = super::passkey_browser::get(&prompt.options)
        .await
        .map_err(|p| shop_types::AppError::validation("", p))?;
    super::finish_passkey_sign_in(prompt.ceremony, answer).await
}
