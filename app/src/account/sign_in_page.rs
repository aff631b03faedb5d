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
            <p><a href="/account/forgot">"Forgot your password?"</a></p>
            <p>"New here? " <a href="/account/register">"Create an account"</a></p>
        </section>
    }
}
