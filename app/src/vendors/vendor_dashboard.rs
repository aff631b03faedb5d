//! `/vendor`: the seller dashboard's home. Where the vendor stands, the checklist before
//! review, the storefront profile, and the history of its status. Every function acts on the
//! caller's own vendor (`scope::vendor_caller`), never on an id from the request.

use super::views::Dashboard;
use crate::ui::{FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shop_types::messages::en;
use shop_types::{AppError, VendorRole, VendorStatus};

/// The caller's vendor as its dashboard shows it.
#[server(endpoint = "vendor/dashboard")]
pub async fn get_vendor_dashboard() -> Result<Dashboard, AppError> {
    use super::scope::vendor_caller;
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::vendor::{VendorArea, iban_tail};

    no_store();
    let state = app_state()?;
    let caller = vendor_caller(&state, VendorArea::Overview).await?;
    let mut conn = state.conn("vendor dashboard: acquire").await?;
    let rules = crate::store::queries::vendor_rules(&mut conn)
        .await
        .map_err(internal("vendor dashboard: rules"))?;
    let checklist =
        super::onboarding::checklist(&mut conn, state.db.vault(), &caller.vendor, rules)
            .await
            .map_err(internal("vendor dashboard: checklist"))?;
    let history = super::vendor_store::status_history(&mut conn, &caller.vendor.id)
        .await
        .map_err(internal("vendor dashboard: history"))?;
    // Only the owner sees even the tail of the bank account.
    let payout_account = if caller.role == VendorRole::Owner {
        super::vendor_store::details(&mut conn, state.db.vault(), &caller.vendor.id)
            .await
            .map_err(internal("vendor dashboard: details"))?
            .map(|d| iban_tail(&d.iban))
    } else {
        None
    };
    Ok(Dashboard {
        vendor: caller.vendor,
        role: caller.role,
        checklist,
        review_required: rules.review_required,
        history,
        payout_account,
    })
}

/// Saves the storefront's description and returns policy (owners and catalog members).
#[server(endpoint = "vendor/profile")]
pub async fn save_vendor_profile(
    description: String,
    returns_policy: String,
) -> Result<(), AppError> {
    use super::scope::vendor_caller;
    use crate::identity::auth::who;
    use crate::platform::state::app_state;
    use shop_types::vendor::VendorArea;

    let state = app_state()?;
    let caller = vendor_caller(&state, VendorArea::Catalog).await?;
    super::onboarding::save_profile(
        &state.db,
        &caller.vendor.id,
        &description,
        &returns_policy,
        &who(&caller.session),
    )
    .await?;
    crate::platform::forms::redirect_after_form_post(&format!(
        "{}?saved=profile",
        shop_types::paths::VENDOR
    ));
    Ok(())
}

/// Hands in the completed checklist (the owner only).
#[server(endpoint = "vendor/submit")]
pub async fn submit_vendor_for_review() -> Result<VendorStatus, AppError> {
    use super::scope::vendor_caller;
    use crate::identity::auth::who;
    use crate::platform::state::app_state;
    use shop_types::VendorStep;
    use shop_types::vendor::{Actor, VendorArea};

    let state = app_state()?;
    let caller = vendor_caller(&state, VendorArea::Business).await?;
    let to = super::onboarding::take_step(
        &state.db,
        &caller.vendor.id,
        VendorStep::SubmitForReview,
        Actor::Owner,
        "",
        &who(&caller.session),
    )
    .await?;
    crate::platform::forms::redirect_after_form_post(&format!(
        "{}?saved=submitted",
        shop_types::paths::VENDOR
    ));
    Ok(to)
}

/// `/vendor`.
#[component]
pub fn VendorDashboardPage() -> impl IntoView {
    let profile = ServerAction::<SaveVendorProfile>::new();
    let submit = ServerAction::<SubmitVendorForReview>::new();
    let dashboard = Resource::new(
        move || (profile.version().get(), submit.version().get()),
        |_| get_vendor_dashboard(),
    );
    let query = use_query_map();
    // With JavaScript the newest answer shows (the actions keep their last values); without
    // it, the redirect's `?saved=` does.
    let answered = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if profile.value().with(|v| matches!(v, Some(Ok(_)))) {
            answered.set(Some("Your shop's profile is saved."));
        }
    });
    Effect::new(move |_| {
        if submit.value().with(|v| matches!(v, Some(Ok(_)))) {
            answered.set(Some("Thank you: your checklist is handed in."));
        }
    });
    let saved = move || {
        answered.get().or_else(|| {
            query.with(|q| match q.get("saved").as_deref() {
                Some("profile") => Some("Your shop's profile is saved."),
                Some("submitted") => Some("Thank you: your checklist is handed in."),
                Some("invited") => Some("The invitation is sent."),
                Some("removed") => Some("The member was removed from your team."),
                Some("logo") => Some("Your logo is saved."),
                Some("banner") => Some("Your banner is saved."),
                _ => None,
            })
        })
    };
    view! {
        <Title text="Seller dashboard"/>
        <section class="page vendor-dashboard">
            <super::parts::VendorNav/>
            <p class="form-success" role="status">{saved}</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Ok(d) => view! { <DashboardBody d profile submit/> }.into_any(),
                        Err(AppError::Unauthorized) => view! {
                            <h1>"Seller dashboard"</h1>
                            <p>"Sign in with your seller account to see your shop."</p>
                            <p><a class="button" href="/account/sign-in">"Sign in"</a></p>
                        }.into_any(),
                        Err(AppError::Forbidden) => view! {
                            <h1>"Seller dashboard"</h1>
                            <p>"This account does not work for a seller. Would you like to "<a href=shop_types::paths::SELL>"sell with us"</a>"?"</p>
                        }.into_any(),
                        Err(e) => view! { <h1>"Seller dashboard"</h1><p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DashboardBody(
    d: Dashboard,
    profile: ServerAction<SaveVendorProfile>,
    submit: ServerAction<SubmitVendorForReview>,
) -> impl IntoView {
    let status = d.vendor.status;
    let complete = shop_types::vendor::checklist_complete(&d.checklist);
    let owner = d.role == VendorRole::Owner;
    let can_submit = owner && status == VendorStatus::Onboarding;
    let next = match status {
        VendorStatus::Applied => {
            "We are looking at your application. Once we accept it, complete the checklist below and submit it."
        }
        VendorStatus::Onboarding if complete => {
            "Everything is ready: submit your checklist for review."
        }
        VendorStatus::Onboarding => "Complete the checklist below, then submit it for review.",
        VendorStatus::InReview => "We are reviewing your shop and will write to you.",
        VendorStatus::Approved => "Your shop is open: shoppers can buy your products.",
        VendorStatus::Suspended => {
            "Your sales are suspended: shoppers cannot buy your products for now."
        }
        VendorStatus::Rejected | VendorStatus::Closed => "Your shop does not sell.",
    };
    let profile_err =
        move |f: &'static str| Signal::derive(move || profile.value().with(|v| error_for(v, f)));
    let submit_err = Signal::derive(move || submit.value().with(|v| error_for(v, "")));
    let reason = d.vendor.status_reason.clone().filter(|_| {
        matches!(
            status,
            VendorStatus::Onboarding | VendorStatus::Suspended | VendorStatus::Rejected
        )
    });
    let may_edit_profile =
        status.open() && matches!(d.role, VendorRole::Owner | VendorRole::Catalog);
    view! {
        <h1>{d.vendor.name.clone()}</h1>
        <p class="vendor-status">
            <span class=format!("status-badge status-{}", status.as_str())>{en::vendor_status(status)}</span>
            " · "{format!("You work here as: {}", en::vendor_role(d.role))}
        </p>
        <p>{next}</p>
        {(status == VendorStatus::Approved).then(|| view! {
            <p><a href=shop_types::paths::seller_page(&d.vendor.slug)>"See your shop's page"</a></p>
        })}
        {reason.map(|r| view! { <p class="notice"><strong>"Our note: "</strong>{r}</p> })}
        <h2 id="checklist-heading">"Checklist"</h2>
        <super::parts::Checklist items=d.checklist.clone() heading_id="checklist-heading"/>
        {d.payout_account.clone().map(|a| view! { <p>{format!("Payouts go to the account ending {a}.")}</p> })}
        {can_submit.then(|| view! {
            <ActionForm action=submit attr:class="inline-form">
                <FormError error=submit_err/>
                <button type="submit" disabled=!complete>
                    {if d.review_required { "Submit for review" } else { "Submit and open my shop" }}
                </button>
            </ActionForm>
        })}
        {may_edit_profile.then(|| view! {
            <h2>"Your shop's profile"</h2>
            <p class="hint">"Shoppers read this on your shop's page: who you are and what you make, and how returns work with you."</p>
            <ActionForm action=profile attr:class="stack-form">
                <FormError error=profile_err("")/>
                <div class="field">
                    <label for="vendor-description">"About your shop"</label>
                    <textarea id="vendor-description" name="description" rows="5" maxlength="2000" required=true
                        aria-describedby="vendor-description-error">{d.vendor.description.clone()}</textarea>
                    <p id="vendor-description-error" class="form-error">{profile_err("description")}</p>
                </div>
                <div class="field">
                    <label for="vendor-returns-policy">"Returns policy"</label>
                    <textarea id="vendor-returns-policy" name="returns_policy" rows="4" maxlength="2000" required=true
                        aria-describedby="vendor-returns-policy-error">{d.vendor.returns_policy.clone()}</textarea>
                    <p id="vendor-returns-policy-error" class="form-error">{profile_err("returns_policy")}</p>
                </div>
                <button type="submit" disabled=move || profile.pending().get()>"Save the profile"</button>
            </ActionForm>
            <PictureForms logo=d.vendor.logo.clone() banner=d.vendor.banner.clone()/>
        })}
        {owner.then(|| view! { <super::vendor_team::TeamSection/> })}
        <h2>"History"</h2>
        <super::parts::History changes=d.history/>
    }
}

/// The storefront's logo and banner: what is shown now and a plain upload form for each (a
/// file cannot travel in a server action, so both work the same with JavaScript or without).
#[component]
fn PictureForms(
    logo: Option<shop_types::catalog::ImageRef>,
    banner: Option<shop_types::catalog::ImageRef>,
) -> impl IntoView {
    use super::UploadVendorPicture;
    use leptos::server_fn::ServerFn;
    let query = use_query_map();
    let error = move || query.with(|q| q.get("picture_error"));
    let form = |kind: &'static str,
                label: &'static str,
                hint: &'static str,
                current: Option<shop_types::catalog::ImageRef>| {
        let id = format!("vendor-{kind}");
        let preview = current.map(|image| {
            view! { <div class=format!("vendor-{kind}-preview")><crate::catalog::ProductImage image sizes="12rem"/></div> }
        });
        view! {
            <form method="post" action=UploadVendorPicture::PATH enctype="multipart/form-data" class="stack-form">
                {preview}
                <input type="hidden" name="kind" value=kind/>
                <div class="field">
                    <label for=id.clone()>{label}</label>
                    <input id=id.clone() type="file" name="file" accept="image/png,image/jpeg,image/webp" required=true
                        aria-describedby=format!("{id}-hint")/>
                    <p id=format!("{id}-hint") class="hint">{hint}</p>
                </div>
                <button type="submit">{format!("Upload the {kind}")}</button>
            </form>
        }
    };
    view! {
        <h2>"Logo and banner"</h2>
        <p class="form-error" role="alert">{error}</p>
        {form("logo", "Logo", "A square picture, at least 240 pixels wide. PNG, JPEG or WebP, up to 5 MB.", logo)}
        {form("banner", "Banner", "A wide picture shown across the top of your shop's page, at least 1200 pixels wide. Up to 5 MB.", banner)}
    }
}
