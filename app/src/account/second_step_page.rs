use super::SecondStep;
use crate::ui::{Field, FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/account/two-step`: the code after a right password. Without a sign-in waiting for it the
/// form answers that the sign-in has to start again.
#[component]
pub fn SecondStepPage() -> impl IntoView {
    let action = ServerAction::<SecondStep>::new();
    let value = action.value();
    let err =
        move |field: &'static str| Signal::derive(move || value.with(|v| error_for(v, field)));
    view! {
        <Title text="Two-step sign-in"/>
        <section class="page narrow">
            <h1>"Two-step sign-in"</h1>
            <p>"Enter the six-digit code your authenticator app shows for this shop. No phone at hand? Enter one of your recovery codes instead; each works once."</p>
            <ActionForm action=action attr:class="stack-form">
                <FormError error=err("")/>
                <Field id="second-step-code" name="code" label="Code" kind="text"
                    autocomplete="one-time-code" required=true maxlength="64" error=err("code")/>
                <button type="submit" disabled=move || action.pending().get()>"Continue"</button>
            </ActionForm>
            <p><a href="/account/sign-in">"Start the sign-in again"</a></p>
            <p>"Lost your phone and your recovery codes? Ask the shop: an administrator can turn two-step sign-in off for you after checking who you are."</p>
        </section>
    }
}
