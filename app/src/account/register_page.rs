use super::RegisterAccount;
use crate::ui::{Field, FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/account/register`: create a customer account.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<RegisterAccount>::new();
    let value = action.value();
    let err =
        move |field: &'static str| Signal::derive(move || value.with(|v| error_for(v, field)));
    view! {
        <Title text="Create an account"/>
        <section class="page narrow">
            <h1>"Create an account"</h1>
            <p>"Save addresses and favourites, and follow your orders."</p>
            <ActionForm action=action attr:class="stack-form">
                <FormError error=err("")/>
                <Field id="register-email" name="email" label="E-mail address" kind="email"
                    autocomplete="email" required=true maxlength="254" error=err("email")/>
                <Field id="register-name" name="name" label="Name (optional)" autocomplete="name"
                    maxlength="100" error=err("name")/>
                <Field id="register-password" name="password" label="Password" kind="password"
                    autocomplete="new-password" required=true maxlength="256"
                    hint="At least 8 characters. A few unrelated words make a strong password."
                    error=err("password")/>
                <button type="submit" disabled=move || action.pending().get()>"Create account"</button>
            </ActionForm>
            <p>"Already have an account? " <a href="/account/sign-in">"Sign in"</a></p>
        </section>
    }
}
