use super::RequestPasswordReset;
use crate::ui::{Field, FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/account/forgot`: ask for a password reset link.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let value = action.value();
    let err =
        move |field: &'static str| Signal::derive(move || value.with(|v| error_for(v, field)));
    view! {
        <Title text="Reset your password"/>
        <section class="page narrow">
            <h1>"Reset your password"</h1>
            <p>"Enter the address of your account and we will mail you a link to choose a new password."</p>
            <ActionForm action=action attr:class="stack-form">
                <FormError error=err("")/>
                <Field id="forgot-email" name="email" label="E-mail address" kind="email"
                    autocomplete="username" required=true maxlength="254" error=err("email")/>
                <button type="submit" disabled=move || action.pending().get()>"Send me a link"</button>
            </ActionForm>
        </section>
    }
}

/// Shown after a reset was requested; says the same whether or not the address has an account.
#[component]
pub fn ResetSentPage() -> impl IntoView {
    view! {
        <Title text="Check your inbox"/>
        <section class="page narrow">
            <h1>"Check your inbox"</h1>
            <p>"If an account uses that address, we sent it a link to choose a new password. The link works for one hour."</p>
            <p><a href="/account/sign-in">"Back to sign in"</a></p>
        </section>
    }
}
