//! `/sell`: "Sell with us". A signed-in shopper applies with the business's details; the
//! application is checked per field, and the account becomes the new vendor's owner.

use super::views::SellChoice;
use crate::account::AddressFields;
use crate::ui::{Field, FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shop_types::vendor::LEGAL_FORMS;
use shop_types::{AddressInput, AppError};

/// What `/sell` offers the caller: the form, their vendor's dashboard, or sign in first.
#[server(endpoint = "sell/offer")]
pub async fn sell_offer() -> Result<SellChoice, AppError> {
    use crate::identity::auth::current_session;
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Role;

    no_store();
    let state = app_state()?;
    let Some(session) = current_session(&state).await? else {
        return Ok(SellChoice::SignedOut);
    };
    let mut conn = state.conn("sell: acquire").await?;
    if let Some((vendor, _)) = super::vendor_store::membership(&mut conn, &session.user.id)
        .await
        .map_err(internal("sell: membership"))?
    {
        return Ok(SellChoice::Member {
            vendor: vendor.name,
            status: vendor.status,
        });
    }
    Ok(match session.user.role {
        Role::Customer => SellChoice::Apply {
            contact_name: session.user.name.clone(),
        },
        _ => SellChoice::BackOffice,
    })
}

/// Applies to sell with the signed-in shopper's account. Errors name the form field
/// (`billing.postal_code`, `iban`, ...). On success the account's sessions end: a vendor
/// account signs in again with a second factor.
#[server(endpoint = "sell/apply")]
#[allow(clippy::too_many_arguments)]
pub async fn apply_to_sell(
    business_name: String,
    legal_form: String,
    registration_number: String,
    tax_number: String,
    contact_name: String,
    contact_phone: String,
    #[server(default)] billing: AddressInput,
    #[server(default)] returns_elsewhere: Option<String>,
    #[server(default)] returns: AddressInput,
    account_holder: String,
    iban: String,
    #[server(default)] accepts_terms: Option<String>,
) -> Result<String, AppError> {
    use crate::identity::auth::{Access, authorize, clear_session_cookie, who};
    use crate::platform::rate_limit::limit_attempts;
    use crate::platform::state::app_state;
    use shop_types::vendor::VendorApplication;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    // Each try seals a document and checks an IBAN: bounded per account.
    limit_attempts(&state.db, &format!("sell:{}", session.user.id), 20).await?;
    let application = VendorApplication {
        business_name,
        legal_form,
        registration_number,
        tax_number,
        contact_name,
        contact_phone,
        billing,
        returns: returns_elsewhere
            .filter(|v| matches!(v.trim(), "on" | "true"))
            .map(|_| returns),
        account_holder,
        iban,
        accepts_terms: accepts_terms.is_some_and(|v| matches!(v.trim(), "on" | "true")),
    };
    let applied =
        super::onboarding::apply(&state.db, &session.user, application, &who(&session)).await?;
    clear_session_cookie(&state);
    crate::platform::forms::redirect_after_form_post(&format!(
        "{}?applied={}",
        shop_types::paths::SELL,
        applied.slug
    ));
    Ok(applied.slug)
}

/// `/sell`.
#[component]
pub fn SellPage() -> impl IntoView {
    let apply = ServerAction::<ApplyToSell>::new();
    let offer = Resource::new(|| (), |_| sell_offer());
    let query = use_query_map();
    let applied = move || {
        apply.value().with(|v| matches!(v, Some(Ok(_))))
            || query.with(|q| q.get("applied").is_some())
    };
    view! {
        <Title text="Sell with us"/>
        <section class="page narrow sell-page">
            <h1>"Sell with us"</h1>
            <p>"Open your own shop inside ours: list your products, ship your orders and get paid for every sale. We review each application, then guide you through a short checklist before your shop opens."</p>
            <Show when=applied fallback=move || view! {
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match offer.await {
                            Ok(SellChoice::SignedOut) => view! {
                                <p>"Applications are made with your own account, so that we know who to write to."</p>
                                <p><a class="button" href="/account/sign-in">"Sign in"</a>" or "<a href="/account/register">"create an account"</a>", then come back to this page."</p>
                            }.into_any(),
                            Ok(SellChoice::Apply { contact_name }) => view! { <ApplicationForm apply contact_name/> }.into_any(),
                            Ok(SellChoice::Member { vendor, status }) => view! {
                                <p>{format!("Your account works for {vendor} ({}).", shop_types::messages::en::vendor_status(status))}</p>
                                <p><a class="button" href=shop_types::paths::VENDOR>"Open the seller dashboard"</a></p>
                            }.into_any(),
                            Ok(SellChoice::BackOffice) => view! {
                                <p>"Staff accounts cannot sell. Apply with a shopping account of your own."</p>
                            }.into_any(),
                            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            }>
                <div class="notice" role="status">
                    <h2>"Thank you: your application is in"</h2>
                    <p>"We will review it and write to you. Your account is now a seller's account: sign in again, and set up two-step sign-in with an authenticator app. Then the seller dashboard shows where your application stands."</p>
                    <p><a class="button" href="/account/sign-in">"Sign in again"</a></p>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn ApplicationForm(apply: ServerAction<ApplyToSell>, contact_name: String) -> impl IntoView {
    let value = apply.value();
    let err =
        move |field: &'static str| Signal::derive(move || value.with(|v| error_for(v, field)));
    let section_err = move |prefix: &'static str| {
        Callback::new(move |field: &'static str| {
            value.with(|v| error_for(v, &format!("{prefix}.{field}")))
        })
    };
    let any_err = Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(e)) if e.field().is_some() => {
                Some("Some details need a second look: see the messages below.".to_owned())
            }
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    });
    let forms = LEGAL_FORMS
        .iter()
        .map(|(v, label)| view! { <option value=*v>{*label}</option> })
        .collect_view();
    view! {
        <ActionForm action=apply attr:class="stack-form" attr:novalidate=false>
            <FormError error=any_err/>
            <h2>"Your business"</h2>
            <Field id="sell-business-name" name="business_name" label="Business name (shown to shoppers)"
                autocomplete="organization" required=true maxlength="80" error=err("business_name")/>
            <div class="field">
                <label for="sell-legal-form">"Legal form"</label>
                <select id="sell-legal-form" name="legal_form" required=true aria-describedby="sell-legal-form-error">
                    <option value="">"Choose…"</option>
                    {forms}
                </select>
                <p id="sell-legal-form-error" class="form-error">{err("legal_form")}</p>
            </div>
            <Field id="sell-registration" name="registration_number" label="Registration number (trade or company register)"
                required=true maxlength="40" error=err("registration_number")/>
            <Field id="sell-tax-number" name="tax_number" label="VAT number" hint="With its country letters, such as DE123456789."
                required=true maxlength="20" error=err("tax_number")/>
            <h2>"Who we talk to"</h2>
            <div class="field">
                <label for="sell-contact-name">"Contact person"</label>
                <input id="sell-contact-name" name="contact_name" type="text" autocomplete="name" required=true
                    maxlength="100" value=contact_name aria-describedby="sell-contact-name-error"/>
                <p id="sell-contact-name-error" class="form-error">{err("contact_name")}</p>
            </div>
            <Field id="sell-contact-phone" name="contact_phone" label="Phone" kind="tel" autocomplete="tel"
                required=true maxlength="30" error=err("contact_phone")/>
            <fieldset class="address-group">
                <legend>"Billing address"</legend>
                <AddressFields id_prefix="sell-billing" name="billing" address=AddressInput::default()
                    error=section_err("billing")/>
            </fieldset>
            // Shown by CSS while the box is ticked, so it works without JavaScript too.
            <div class="field checkbox bill-elsewhere">
                <input id="sell-returns-elsewhere" type="checkbox" name="returns_elsewhere"/>
                <label for="sell-returns-elsewhere">"Returns go to a different address"</label>
            </div>
            <fieldset class="billing-address">
                <legend>"Returns address"</legend>
                <AddressFields id_prefix="sell-returns" name="returns" address=AddressInput::default() insist=false
                    error=section_err("returns")/>
            </fieldset>
            <h2>"Where we pay you"</h2>
            <Field id="sell-account-holder" name="account_holder" label="Account holder" required=true
                maxlength="70" error=err("account_holder")/>
            <Field id="sell-iban" name="iban" label="IBAN" hint="Spaces are fine." autocomplete="off"
                required=true maxlength="42" error=err("iban")/>
            <div class="field checkbox">
                <input id="sell-terms" type="checkbox" name="accepts_terms" required=true aria-describedby="sell-terms-error"/>
                <label for="sell-terms">"I accept the marketplace terms for sellers, and I may act for this business."</label>
                <p id="sell-terms-error" class="form-error">{err("accepts_terms")}</p>
            </div>
            <button type="submit" disabled=move || apply.pending().get()>"Send my application"</button>
        </ActionForm>
    }
}
