use super::{ConfirmEmail, ConfirmEmailChange};
use crate::ui::{FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/account/confirm?token=...`: where the confirmation mail's link leads. A button confirms,
/// so link scanners in mail systems cannot use the link up by fetching it.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<ConfirmEmail>::new();
    let value = action.value();
    let error = Signal::derive(move || value.with(|v| error_for(v, "")));
    view! {
        <Title text="Confirm your e-mail address"/>
        <section class="page narrow">
            <h1>"Confirm your e-mail address"</h1>
            <ActionForm action=action attr:class="stack-form">
                <FormError error=error/>
                <input type="hidden" name="token" value=token/>
                <button type="submit" disabled=move || action.pending().get()>"Confirm my e-mail address"</button>
            </ActionForm>
        </section>
    }
}

/// `/account/confirm-new-email?token=...`: where the change-of-address mail's link leads.
#[component]
pub fn ConfirmNewEmailPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<ConfirmEmailChange>::new();
    let value = action.value();
    let error = Signal::derive(move || value.with(|v| error_for(v, "")));
    view! {
        <Title text="Confirm your new e-mail address"/>
        <section class="page narrow">
            <h1>"Confirm your new e-mail address"</h1>
            <ActionForm action=action attr:class="stack-form">
                <FormError error=error/>
                <input type="hidden" name="token" value=token/>
                <button type="submit" disabled=move || action.pending().get()>"Use this address"</button>
            </ActionForm>
        </section>
    }
}
