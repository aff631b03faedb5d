use crate::ui::{Field, FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shop_types::{AppError, paths};

/// Deletes the signed-in customer's account for good (after their current password): see
/// `privacy::erasure`. Signs this browser out and shows what is left.
#[server(endpoint = "account/delete")]
pub async fn delete_account(current_password: String) -> Result<(), AppError> {
    use super::erasure::{ErasedBy, erase_customer};
    use crate::account::server_support::recheck_password;
    use crate::identity::auth::{Access, authorize, clear_session_cookie};
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    recheck_password(&state, &session.user, current_password).await?;
    let erased = erase_customer(&state.db, &session.user.id, ErasedBy::Themselves)
        .await
        .map_err(|e| e.into_app_error())?;
    clear_session_cookie(&state);
    let query = crate::ui::query_string(&[("ref".into(), erased.pseudonym)]);
    leptos_axum::redirect(&format!("{}?{query}", paths::ACCOUNT_DELETED));
    Ok(())
}

/// `/account/delete`: what deleting an account removes and keeps, and the form that does it.
#[component]
pub fn DeleteAccountPage() -> impl IntoView {
    let action = ServerAction::<DeleteAccount>::new();
    let err =
        move |f: &'static str| Signal::derive(move || action.value().with(|v| error_for(v, f)));
    view! {
        <Title text="Delete your account"/>
        <section class="page narrow">
            <h1>"Delete your account"</h1>
            <p>"Deleting your account removes your name, e-mail address, saved addresses, favourites, cart, passkeys, sign-in history and newsletter subscription. Your personal data here is encrypted with a key of your own; that key is destroyed, so not even the shop's backups can be read any more."</p>
            <p>"Your orders stay in the shop's books with their amounts and taxes, under a made-up name instead of yours: tax law requires the shop to keep its invoices. Orders that are not finished (waiting for payment, on their way, or being returned) must be finished first."</p>
            <p><a href=paths::PERSONAL_DATA_EXPORT download>"Download a copy of your data first (JSON)"</a></p>
            <ActionForm action=action attr:class="stack-form">
                <FormError error=err("")/>
                <Field id="delete-password" name="current_password" label="Current password"
                    kind="password" autocomplete="current-password" required=true maxlength="256"
                    error=err("current_password")/>
                <button type="submit" class="danger" disabled=move || action.pending().get()>
                    "Delete my account for good"
                </button>
            </ActionForm>
            <p><a href=paths::ACCOUNT>"Keep my account"</a></p>
        </section>
    }
}

/// `/account/deleted?ref=`: the account is gone; the orders' pseudonym, to quote if needed.
#[component]
pub fn AccountDeletedPage() -> impl IntoView {
    let query = use_query_map();
    let reference = move || {
        query
            .with(|q| q.get("ref"))
            .filter(|r| r.len() <= 20 && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    view! {
        <Title text="Your account was deleted"/>
        <section class="page narrow">
            <h1>"Your account was deleted"</h1>
            <p>"Your personal data is gone and you are signed out. Thank you for shopping with us."</p>
            {move || reference().map(|r| view! {
                <p>"Your past orders are kept for the tax office under the name " <strong>{r}</strong> ". Quote it if you ever need to ask about one of them."</p>
            })}
        </section>
    }
}
