use super::{AccountView, RevokeSession, SignOut, SignOutEverywhere, get_account};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shop_types::AppError;

/// `/account`: the signed-in shopper's account and active sessions. Sends anyone else to
/// the sign-in page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let revoke = ServerAction::<RevokeSession>::new();
    let account = Resource::new(move || revoke.version().get(), |_| get_account());
    view! {
        <Title text="Your account"/>
        <section class="page narrow">
            <Suspense fallback=|| view! { <p>"Loading your account…"</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(view) => view! { <AccountDetails account=view revoke/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in"/> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AccountDetails(account: AccountView, revoke: ServerAction<RevokeSession>) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
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
        <p>"Signed in as " <strong>{account.email}</strong></p>
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
