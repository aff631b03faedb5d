use super::SignIn;
use crate::ui::{Field, FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/account/sign-in`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let value = action.value();
    let err =
        move |field: &'static str| Signal::derive(move || value.with(|v| error_for(v, field)));
    view! {
        <Title text="Sign in"/>
        <section class="page narrow">
            <h1>"Sign in"</h1>
            <ActionForm action=action attr:class="stack-form">
                <FormError error=err("")/>
                <Field id="sign-in-email" name="email" label="E-mail address" kind="email"
                    autocomplete="username" required=true maxlength="254" error=err("email")/>
                <Field id="sign-in-password" name="password" label="Password" kind="password"
                    autocomplete="current-password" required=true maxlength="256" error=err("password")/>
                <button type="submit" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
            <p><a href="/account/forgot">"Forgot your password?"</a></p>
            <p>"New here? " <a href="/account/register">"Create an account"</a></p>
        </section>
    }
}
