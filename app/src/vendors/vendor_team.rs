//! The seller dashboard's team section (owners only) and `/vendor/join`, where an invited
//! shopper joins with the mailed link.

use super::views::Team;
use crate::ui::{Field, FormError, error_for, when};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shop_types::messages::en;
use shop_types::{AppError, VendorRole};

/// The caller's vendor's team and waiting invitations (owners).
#[server(endpoint = "vendor/team")]
pub async fn get_vendor_team() -> Result<Team, AppError> {
    use super::scope::vendor_caller;
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::vendor::VendorArea;

    no_store();
    let state = app_state()?;
    let caller = vendor_caller(&state, VendorArea::Business).await?;
    super::team::team(&state.db, &caller.vendor.id)
        .await
        .map_err(internal("vendor team: read"))
}

/// Invites `email` to the caller's vendor's team as `role` (owners).
#[server(endpoint = "vendor/team/invite")]
pub async fn invite_vendor_member(email: String, role: String) -> Result<(), AppError> {
    use super::scope::vendor_caller;
    use crate::identity::auth::who;
    use crate::platform::rate_limit::limit_attempts;
    use crate::platform::state::app_state;
    use shop_types::vendor::VendorArea;
    use shop_types::{Email, Problem};

    let state = app_state()?;
    let caller = vendor_caller(&state, VendorArea::Business).await?;
    let email = Email::parse(&email).map_err(|e| AppError::validation("email", e))?;
    let role = VendorRole::parse(role.trim())
        .ok_or_else(|| AppError::validation("role", Problem::VendorRoleUnknown))?;
    // Each invitation sends a mail: bounded per vendor.
    limit_attempts(
        &state.db,
        &format!("vendor-invite:{}", caller.vendor.id),
        30,
    )
    .await?;
    super::team::invite(
        &state.db,
        &caller.vendor.id,
        &email,
        role,
        &who(&caller.session),
        &state.config.public_url,
    )
    .await?;
    crate::platform::forms::redirect_after_form_post(&format!(
        "{}?saved=invited",
        shop_types::paths::VENDOR
    ));
    Ok(())
}

/// Removes member `user_id` from the caller's vendor's team (owners; not themselves).
#[server(endpoint = "vendor/team/remove")]
pub async fn remove_vendor_member(user_id: String) -> Result<(), AppError> {
    use super::scope::vendor_caller;
    use crate::identity::auth::who;
    use crate::platform::state::app_state;
    use shop_types::vendor::VendorArea;

    let state = app_state()?;
    let caller = vendor_caller(&state, VendorArea::Business).await?;
    super::team::remove(
        &state.db,
        &caller.vendor.id,
        user_id.trim(),
        &who(&caller.session),
    )
    .await?;
    crate::platform::forms::redirect_after_form_post(&format!(
        "{}?saved=removed",
        shop_types::paths::VENDOR
    ));
    Ok(())
}

/// Joins the team the invitation behind `token` names, with the signed-in shopper's account;
/// returns the vendor's name. The session ends: seller accounts sign in in two steps.
#[server(endpoint = "vendor/join")]
pub async fn join_vendor(token: String) -> Result<String, AppError> {
    use crate::identity::auth::{Access, authorize, clear_session_cookie};
    use crate::platform::rate_limit::limit_attempts;
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    limit_attempts(&state.db, &format!("vendor-join:{}", session.user.id), 10).await?;
    let vendor = super::team::join(&state.db, &session.user, &token).await?;
    clear_session_cookie(&state);
    crate::platform::forms::redirect_after_form_post(&format!(
        "{}?joined=1",
        shop_types::paths::VENDOR_JOIN
    ));
    Ok(vendor)
}

/// The team section of the dashboard: members, waiting invitations, the invitation form.
#[component]
pub fn TeamSection() -> impl IntoView {
    let invite = ServerAction::<InviteVendorMember>::new();
    let remove = ServerAction::<RemoveVendorMember>::new();
    let team = Resource::new(
        move || (invite.version().get(), remove.version().get()),
        |_| get_vendor_team(),
    );
    let invite_err =
        move |f: &'static str| Signal::derive(move || invite.value().with(|v| error_for(v, f)));
    let remove_err = Signal::derive(move || remove.value().with(|v| error_for(v, "")));
    let roles = VendorRole::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == VendorRole::Catalog>{en::vendor_role(r)}</option> })
        .collect_view();
    // With JavaScript the forms answer in place (without it, the dashboard reads `?saved=`).
    let done = move || {
        if invite.value().with(|v| matches!(v, Some(Ok(_)))) {
            Some("The invitation is sent.")
        } else if remove.value().with(|v| matches!(v, Some(Ok(_)))) {
            Some("The member was removed from your team.")
        } else {
            None
        }
    };
    view! {
        <h2 id="team-heading">"Your team"</h2>
        <p class="form-success" role="status">{done}</p>
        <FormError error=remove_err/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match team.await {
                    Ok(t) => view! {
                        <ul class="link-list" aria-labelledby="team-heading">
                            {t.members.into_iter().map(|m| {
                                let label = format!("Remove {} from the team", m.email);
                                let who = if m.name.is_empty() { m.email.clone() } else { format!("{} ({})", m.name, m.email) };
                                view! {
                                    <li>
                                        {format!("{who}: {}, since {}", en::vendor_role(m.role), when(m.added_at))}
                                        <ActionForm action=remove attr:class="inline-form">
                                            <input type="hidden" name="user_id" value=m.user_id/>
                                            <button type="submit" class="secondary" aria-label=label>"Remove"</button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {(!t.invited.is_empty()).then(|| view! {
                            <h3>"Invited"</h3>
                            <ul>
                                {t.invited.into_iter().map(|(email, role, until)| view! {
                                    <li>{format!("{email}: {}, link valid until {}", en::vendor_role(role), when(until))}</li>
                                }).collect_view()}
                            </ul>
                        })}
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
        <h3>"Invite someone"</h3>
        <ActionForm action=invite attr:class="stack-form">
            <FormError error=invite_err("")/>
            <Field id="team-email" name="email" label="Their e-mail address" kind="email" autocomplete="off"
                required=true maxlength="254" error=invite_err("email")/>
            <div class="field">
                <label for="team-role">"They work on"</label>
                <select id="team-role" name="role" aria-describedby="team-role-error">{roles}</select>
                <p id="team-role-error" class="form-error">{invite_err("role")}</p>
            </div>
            <button type="submit" disabled=move || invite.pending().get()>"Send the invitation"</button>
        </ActionForm>
    }
}

/// `/vendor/join?token=`: an invited shopper joins a seller's team.
#[component]
pub fn JoinVendorPage() -> impl IntoView {
    let join = ServerAction::<JoinVendor>::new();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let joined = move || {
        join.value().with(|v| matches!(v, Some(Ok(_)))) || query.with(|q| q.get("joined").is_some())
    };
    let err = Signal::derive(move || join.value().with(|v| error_for(v, "")));
    view! {
        <Title text="Join a seller's team"/>
        <section class="page narrow">
            <h1>"Join a seller's team"</h1>
            <Show when=joined fallback=move || view! {
                <p>"You were invited to work for a seller in this shop. Sign in with the account of the address the invitation was sent to (or create one with it), then join."</p>
                <ActionForm action=join attr:class="stack-form">
                    <FormError error=err/>
                    <input type="hidden" name="token" value=token/>
                    <button type="submit">"Join the team"</button>
                </ActionForm>
                <p><a href="/account/sign-in">"Sign in"</a>" · "<a href="/account/register">"Create an account"</a></p>
            }>
                <div class="notice" role="status">
                    <p>"You joined the team. Your account is now a seller's account: sign in again and set up two-step sign-in with an authenticator app, then open the seller dashboard."</p>
                    <p><a class="button" href="/account/sign-in">"Sign in again"</a></p>
                </div>
            </Show>
        </section>
    }
}
