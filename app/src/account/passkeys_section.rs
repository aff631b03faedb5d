//! The passkeys part of the account page: the list (rename, remove) and adding one. Renaming
//! and removing are plain forms (they work without JavaScript); adding needs the browser's
//! passkey prompt, so its form appears once the page runs and the browser can do it.

use super::{PasskeyView, RemovePasskey, RenamePasskey, passkey_browser};
use crate::ui::{Field, FormError, error_for, when};
use leptos::prelude::*;
use shop_types::AppError;

/// The section's forms; `added` counts passkeys added here (the page reloads the account on it).
#[derive(Clone, Copy)]
pub struct PasskeyActions {
    pub rename: ServerAction<RenamePasskey>,
    pub remove: ServerAction<RemovePasskey>,
    pub added: RwSignal<u32>,
}

#[component]
pub fn PasskeysSection(
    passkeys: Vec<PasskeyView>,
    available: bool,
    actions: PasskeyActions,
) -> impl IntoView {
    let PasskeyActions {
        rename,
        remove,
        added,
    } = actions;
    let rename_err =
        move |f: &'static str| Signal::derive(move || rename.value().with(|v| error_for(v, f)));
    let remove_err =
        move |f: &'static str| Signal::derive(move || remove.value().with(|v| error_for(v, f)));
    let intro = if passkeys.is_empty() {
        "You have no passkeys yet. A passkey signs you in with your fingerprint, face or screen lock instead of a password and a code, and cannot be phished."
    } else {
        "Each passkey signs you in on its own, with your fingerprint, face or screen lock."
    };
    let rows = passkeys
        .into_iter()
        .map(|p| {
            let used = p
                .last_used_at
                .map(|t| format!("last used {}", when(t)))
                .unwrap_or_else(|| "not used yet".to_owned());
            let facts = format!("Added {}, {used}", when(p.created_at));
            let rename_id = format!("passkey-name-{}", p.id);
            let remove_id = format!("passkey-remove-password-{}", p.id);
            let (rename_key, remove_key) = (p.id.clone(), p.id.clone());
            view! {
                <li class="passkey">
                    <span class="passkey-name">{p.name.clone()}</span>
                    <span class="passkey-when">{facts}</span>
                    <details>
                        <summary>{format!("Rename {}", p.name)}</summary>
                        <ActionForm action=rename attr:class="stack-form">
                            <input type="hidden" name="id" value=rename_key/>
                            <Field id=rename_id name="name" label="New name" kind="text"
                                required=true maxlength="60" error=rename_err("name")/>
                            <button type="submit" class="secondary">"Save name"</button>
                        </ActionForm>
                    </details>
                    <details>
                        <summary>{format!("Remove {}", p.name)}</summary>
                        <ActionForm action=remove attr:class="stack-form">
                            <input type="hidden" name="id" value=remove_key/>
                            <Field id=remove_id name="current_password" label="Current password"
                                kind="password" autocomplete="current-password" required=true
                                maxlength="256" error=remove_err("current_password")/>
                            <button type="submit" class="secondary">"Remove passkey"</button>
                        </ActionForm>
                    </details>
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>"Passkeys"</h2>
        <p>{intro}</p>
        <FormError error=rename_err("")/>
        <FormError error=remove_err("")/>
        <ul class="passkeys">{rows}</ul>
        {available.then(|| view! { <AddPasskey added/> })}
    }
}

/// Name, current password, then the browser's prompt.
#[component]
fn AddPasskey(added: RwSignal<u32>) -> impl IntoView {
    // Shown only where it can work: after hydration, in a browser with passkeys.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(passkey_browser::supported()));
    let result = RwSignal::new(None::<Result<(), AppError>>);
    let busy = RwSignal::new(false);
    let err = move |f: &'static str| Signal::derive(move || result.with(|v| error_for(v, f)));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let name = passkey_browser::form_value(&ev, "name");
        let password = passkey_browser::form_value(&ev, "current_password");
        busy.set(true);
        result.set(None);
        leptos::task::spawn_local(async move {
            let outcome = add_passkey(name, password).await;
            let ok = outcome.is_ok();
            if ok {
                passkey_browser::reset_form(&ev);
            }
            result.set(Some(outcome));
            busy.set(false);
            if ok {
                added.update(|n| *n += 1);
                leptos_router::hooks::use_navigate()(
                    "/account?done=passkey-added",
                    Default::default(),
                );
            }
        });
    };
    view! {
        <p class="passkeys-need-script" hidden=move || ready.get()>
            "Adding a passkey needs a browser that supports passkeys, with JavaScript on."
        </p>
        <form class="stack-form" on:submit=on_submit hidden=move || !ready.get()>
            <h3>"Add a passkey"</h3>
            <FormError error=err("")/>
            <Field id="passkey-new-name" name="name" label="Name (optional)" kind="text"
                maxlength="60" hint="Such as “Phone” or “Work laptop”, to tell your passkeys apart."
                error=err("name")/>
            <Field id="passkey-new-password" name="current_password" label="Current password"
                kind="password" autocomplete="current-password" required=true maxlength="256"
                error=err("current_password")/>
            <button type="submit" disabled=move || busy.get()>"Add a passkey"</button>
        </form>
    }
}

/// The whole addition: the server's options, the browser's prompt, the server's check.
async fn add_passkey(name: String, password: String) -> Result<(), AppError> {
    let prompt = super::start_adding_passkey(name, password).await?;
    let answer = passkey_browser::create(&prompt.options)
        .await
        .map_err(|p| AppError::validation("", p))?;
    super::finish_adding_passkey(prompt.ceremony, answer).await
}
