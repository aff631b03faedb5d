use super::passkeys_section::{PasskeyActions, PasskeysSection};
use super::recovery_codes::RenewRecoveryCodesForm;
use super::{
    AccountView, ChangeEmail, ChangePassword, RenewRecoveryCodes, RevokeSession, SignOut,
    SignOutEverywhere, TurnOffTwoStep, UpdateProfile, get_account,
};
use crate::ui::{Field, FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use shop_types::AppError;

/// `/account`: the signed-in shopper's account and active sessions. Sends anyone else to
/// the sign-in page.
#[component]
pub fn AccountPage() -> impl IntoView {
    // The actions live here so the account reloads after each change made in place.
    let actions = AccountActions {
        revoke: ServerAction::new(),
        profile: ServerAction::new(),
        change_email: ServerAction::new(),
        change_password: ServerAction::new(),
        two_step_off: ServerAction::new(),
        passkeys: PasskeyActions {
            rename: ServerAction::new(),
            remove: ServerAction::new(),
            added: RwSignal::new(0),
        },
    };
    let account = Resource::new(
        move || {
            (
                actions.revoke.version().get(),
                actions.profile.version().get(),
                actions.change_email.version().get(),
                actions.change_password.version().get(),
                actions.two_step_off.version().get(),
                actions.passkeys.rename.version().get(),
                actions.passkeys.remove.version().get(),
                actions.passkeys.added.get(),
            )
        },
        |_| get_account(),
    );
    view! {
        <Title text="Your account"/>
        <section class="page narrow">
            <Suspense fallback=|| view! { <p>"Loading your account…"</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(view) => view! { <AccountDetails account=view actions/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in"/> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The account page's forms, shared by the page (which reloads after them) and its parts.
#[derive(Clone, Copy)]
struct AccountActions {
    revoke: ServerAction<RevokeSession>,
    profile: ServerAction<UpdateProfile>,
    change_email: ServerAction<ChangeEmail>,
    change_password: ServerAction<ChangePassword>,
    two_step_off: ServerAction<TurnOffTwoStep>,
    passkeys: PasskeyActions,
}

#[component]
fn AccountDetails(account: AccountView, actions: AccountActions) -> impl IntoView {
    let AccountActions {
        revoke,
        profile,
        change_email,
        change_password,
        two_step_off,
        passkeys,
    } = actions;
    let sign_out = ServerAction::<SignOut>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let query = use_query_map();
    let done = move || {
        query.with(|q| match q.get("done").as_deref() {
            Some("password") => Some("Your password was changed. Other devices were signed out."),
            Some("email-sent") => {
                Some("We sent a link to your new address. Your address changes when you use it.")
            }
            Some("email-changed") => Some("Your e-mail address was changed."),
            Some("profile") => Some("Your name was saved."),
            Some("two-step") => Some("Two-step sign-in is on. Keep your recovery codes safe."),
            Some("two-step-off") => Some("Two-step sign-in is off."),
            Some("new-codes") => {
                Some("Your new recovery codes are in place; the old ones no longer work.")
            }
            Some("passkey-added") => Some("Your passkey was added. You can sign in with it now."),
            Some("passkey-renamed") => Some("The passkey was renamed."),
            Some("passkey-removed") => Some("The passkey was removed."),
            _ => None,
        })
    };
    let profile_err =
        move |f: &'static str| Signal::derive(move || profile.value().with(|v| error_for(v, f)));
    let email_err = move |f: &'static str| {
        Signal::derive(move || change_email.value().with(|v| error_for(v, f)))
    };
    let password_err = move |f: &'static str| {
        Signal::derive(move || change_password.value().with(|v| error_for(v, f)))
    };
    let off_err = move |f: &'static str| {
        Signal::derive(move || two_step_off.value().with(|v| error_for(v, f)))
    };
    let two_step = match (account.two_step, account.two_step_required) {
        (false, _) => view! {
            <p>"Off. With it on, signing in also asks for a code from an app on your phone, so a stolen password alone does not open your account."</p>
            <p><a href=shop_types::paths::TWO_STEP_SETUP class="button">"Set up two-step sign-in"</a></p>
        }
        .into_any(),
        (true, true) => view! {
            <p>{format!("On, as every back-office and seller account must be. {} unused recovery codes left.", account.recovery_codes_left)}</p>
            <p>"Lost your phone? Another admin can reset it for you."</p>
            <RenewRecoveryCodesForm action=renew/>
        }
        .into_any(),
        (true, false) => view! {
            <p>{format!("On. {} unused recovery codes left.", account.recovery_codes_left)}</p>
            <ActionForm action=two_step_off attr:class="stack-form">
                <FormError error=off_err("")/>
                <Field id="two-step-off-password" name="current_password" label="Current password"
                    kind="password" autocomplete="current-password" required=true maxlength="256"
                    error=off_err("current_password")/>
                <Field id="two-step-off-code" name="code" label="Code from your app, or a recovery code"
                    kind="text" autocomplete="one-time-code" required=true maxlength="64"
                    error=off_err("code")/>
                <button type="submit" class="secondary">"Turn off two-step sign-in"</button>
            </ActionForm>
            <RenewRecoveryCodesForm action=renew/>
        }
        .into_any(),
    };
    // Back-office accounts find their work from here (where every sign-in lands).
    let work = match account.role {
        shop_types::Role::Vendor => Some((shop_types::paths::VENDOR, "Seller dashboard")),
        shop_types::Role::Staff | shop_types::Role::Admin => {
            Some((shop_types::paths::ADMIN, "Console"))
        }
        shop_types::Role::Customer => None,
    };
    let current_name = account.name.clone();
    let greeting = if account.name.is_empty() {
        "Your account".to_owned()
    } else {
        format!("Hello, {}", account.name)
    };
    let sessions = account
        .sessions
        .into_iter()
        .map(|s| {
            let when = format!("signed in {}, last active {}", short_time(s.created_at), short_time(s.last_seen_at));
            let device = if s.user_agent.is_empty() { "Unknown browser".to_owned() } else { s.user_agent };
            view! {
                <li class="session">
                    <span class="session-device">{device}</span>
                    <span class="session-when">{when}</span>
                    {if s.current {
                        view! { <strong>"This browser"</strong> }.into_any()
                    } else {
                        view! {
                            <ActionForm action=revoke attr:class="inline-form">
                                <input type="hidden" name="id" value=s.id/>
                                <button type="submit" class="secondary">"Sign out this device"</button>
                            </ActionForm>
                        }
                        .into_any()
                    }}
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>{greeting}</h1>
        <p class="form-success" role="status">{done}</p>
        <p>"Signed in as " <strong>{account.email}</strong></p>
        <nav aria-label="Your account">
            <ul class="link-list">
                <li><a href="/account/orders">"Your orders"</a></li>
                <li><a href="/account/addresses">"Your addresses"</a></li>
                <li><a href="/account/favourites">"Your favourites"</a></li>
                <li><a href="/account/notifications">"Notifications"</a></li>
                {work.map(|(href, label)| view! { <li><a href=href>{label}</a></li> })}
            </ul>
        </nav>

        <h2>"Your name"</h2>
        <ActionForm action=profile attr:class="stack-form">
            <FormError error=profile_err("")/>
            <div class="field">
                <label for="profile-name">"Name"</label>
                <input id="profile-name" name="name" type="text" autocomplete="name" maxlength="100"
                    value=current_name aria-describedby="profile-name-error"
                    aria-invalid=move || profile_err("name").get().map(|_| "true")/>
                <p id="profile-name-error" class="form-error">{move || profile_err("name").get()}</p>
            </div>
            <button type="submit">"Save name"</button>
        </ActionForm>

        <h2>"Change your e-mail address"</h2>
        <ActionForm action=change_email attr:class="stack-form">
            <FormError error=email_err("")/>
            <Field id="change-email" name="email" label="New e-mail address" kind="email"
                autocomplete="email" required=true maxlength="254" error=email_err("email")/>
            <Field id="change-email-password" name="current_password" label="Current password"
                kind="password" autocomplete="current-password" required=true maxlength="256"
                error=email_err("current_password")/>
            <button type="submit">"Send confirmation link"</button>
        </ActionForm>

        <h2>"Change your password"</h2>
        <ActionForm action=change_password attr:class="stack-form">
            <FormError error=password_err("")/>
            <Field id="change-password-current" name="current_password" label="Current password"
                kind="password" autocomplete="current-password" required=true maxlength="256"
                error=password_err("current_password")/>
            <Field id="change-password-new" name="password" label="New password" kind="password"
                autocomplete="new-password" required=true maxlength="256"
                hint="At least 8 characters. Other devices will be signed out."
                error=password_err("password")/>
            <button type="submit">"Change password"</button>
        </ActionForm>
        <h2>"Two-step sign-in"</h2>
        {two_step}
        <PasskeysSection passkeys=account.passkeys available=account.passkeys_available actions=passkeys/>
        <h2>"Your data"</h2>
        <p>"Everything this shop holds about you (account, addresses, orders, sign-ins, consents) in one file you can keep or take elsewhere."</p>
        <p><a href=shop_types::paths::PERSONAL_DATA_EXPORT download>"Download your data (JSON)"</a></p>
        <p><a href=shop_types::paths::DELETE_ACCOUNT>"Delete your account"</a></p>
        <h2>"Where you are signed in"</h2>
        <ul class="sessions">{sessions}</ul>
        <div class="button-row">
            <ActionForm action=sign_out attr:class="inline-form">
                <button type="submit">"Sign out"</button>
            </ActionForm>
            <ActionForm action=everywhere attr:class="inline-form">
                <button type="submit" class="secondary">"Sign out everywhere"</button>
            </ActionForm>
        </div>
    }
}

fn short_time(t: shop_types::Timestamp) -> String {
    let text = t.to_rfc3339();
    format!("{} {} UTC", &text[..10], &text[11..16])
}
