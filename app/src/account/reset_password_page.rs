use super::ResetPassword;
use crate::ui::{Field, FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/account/reset?token=...`: choose a new password through a mailed link.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    // Arriving from "this was not me": the sessions have just ended.
    let secured = move || {
        query
            .with(|q| q.get("secured").is_some())
            .then_some("Every session of your account has ended. Choose a new password now.")
    };
    let action = ServerAction::<ResetPassword>::new();
    let value = action.value();
    let err =
        move |field: &'static str| Signal::derive(move || value.with(|v| error_for(v, field)));
    view! {
        <Title text="Choose a new password"/>
        <section class="page narrow">
            <h1>"Choose a new password"</h1>
            <p class="form-success" role="status">{secured}</p>
            <ActionForm action=action attr:class="stack-form">
                <FormError error=err("")/>
                <input type="hidden" name="token" value=token/>
                <Field id="reset-password" name="password" label="New password" kind="password"
                    autocomplete="new-password" required=true maxlength="256"
                    hint="At least 8 characters. You will be signed out everywhere else."
                    error=err("password")/>
                <button type="submit" disabled=move || action.pending().get()>"Save the new password"</button>
            </ActionForm>
        </section>
    }
}
