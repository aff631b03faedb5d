use crate::ui::FormError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shop_types::AppError;

/// "This was not me", from the new-browser sign-in mail: every session and waiting sign-in of
/// the account ends now; then the same link sets a new password (and the second step, if the
/// account has one, still follows).
#[server(endpoint = "account/secure")]
pub async fn secure_account(token: String) -> Result<(), AppError> {
    use super::account_service;
    use super::server_support::to_app_error;
    use crate::platform::state::app_state;
    use shop_types::Problem;

    let state = app_state()?;
    let token = token.trim();
    if token.is_empty() || token.len() > 200 {
        return Err(AppError::validation("", Problem::LinkInvalid));
    }
    account_service::secure_account(&state.db, token)
        .await
        .map_err(to_app_error)?;
    let query = crate::ui::query_string(&[("token".into(), token.to_owned())]);
    leptos_axum::redirect(&format!("/account/reset?{query}&secured=1"));
    Ok(())
}

/// `/account/secure?token=`: one button, so a link opened by a mail scanner changes nothing.
#[component]
pub fn SecureAccountPage() -> impl IntoView {
    let action = ServerAction::<SecureAccount>::new();
    let value = action.value();
    let error = Signal::derive(move || value.with(|v| crate::ui::error_for(v, "")));
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    view! {
        <Title text="Secure your account"/>
        <section class="page narrow">
            <h1>"Secure your account"</h1>
            <p>"If someone else signed in to your account, end every session now: every browser and phone is signed out at once, including any that are signed in right now. Then choose a new password."</p>
            <ActionForm action=action attr:class="stack-form">
                <FormError error=error/>
                <input type="hidden" name="token" value=token/>
                <button type="submit" disabled=move || action.pending().get()>"Sign out everywhere and choose a new password"</button>
            </ActionForm>
        </section>
    }
}
