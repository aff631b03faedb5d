//! The test provider's own pages: the card form at `/testpay/<intent>` and the extra
//! authentication step (3-D Secure stand-in). They belong to the provider, not the shop: the
//! card number typed here is turned into a test token at once and never stored or logged.

use crate::ui::error_for;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use shop_types::Problem;
#[cfg(feature = "ssr")]
use shop_types::Thing;
use shop_types::{AppError, Money};

/// A test payment as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestPayView {
    pub id: String,
    pub amount: Money,
    pub status: String,
    pub last_error: Option<String>,
    pub card: Option<String>,
    pub return_url: String,
}

#[cfg(feature = "ssr")]
async fn open(id: &str, secret: &str) -> Result<super::test_provider::StoredIntent, AppError> {
    use crate::platform::state::app_state;
    let state = app_state()?;
    let super::CardProvider::Test(provider) = &state.part::<crate::payments::Payments>().provider
    else {
        return Err(AppError::not_found(Thing::Payment));
    };
    let stored = provider
        .load(id.trim())
        .await
        .map_err(|_| AppError::not_found(Thing::Payment))?;
    if !crate::orders::links::key_matches(
        secret.trim(),
        &crate::platform::secrets::hash_secret(&stored.client_secret),
    ) {
        return Err(AppError::not_found(Thing::Payment));
    }
    Ok(stored)
}

/// The payment behind a test provider page (the client secret proves the caller was sent).
#[server(endpoint = "testpay/get", input = server_fn::codec::GetUrl)]
pub async fn get_test_payment(id: String, secret: String) -> Result<TestPayView, AppError> {
    use crate::platform::errors::internal;
    use shop_types::Currency;

    crate::platform::http::no_store();
    let stored = open(&id, &secret).await?;
    let currency =
        Currency::parse(&stored.intent.currency).map_err(internal("testpay: currency"))?;
    Ok(TestPayView {
        id: stored.intent.id.clone(),
        amount: Money::new(stored.intent.amount, currency),
        status: stored.intent.status.as_str().to_owned(),
        last_error: stored.intent.last_error.clone(),
        card: stored.card.clone(),
        return_url: stored.return_url.clone(),
    })
}

/// Pays a test payment with a typed test card: the number becomes a token here and the
/// payment is confirmed with that token. Goes on to the authentication step or back to the shop.
#[server(endpoint = "testpay/pay")]
pub async fn pay_with_test_card(
    id: String,
    secret: String,
    number: String,
    expiry: String,
    cvc: String,
) -> Result<(), AppError> {
    use super::provider::{IntentStatus, PaymentProvider};
    use super::test_provider::tokenise;
    use crate::platform::state::app_state;

    let state = app_state()?;
    let stored = open(&id, &secret).await?;
    let today = {
        let date = crate::platform::clock::now().to_rfc3339();
        let year = date.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(2026);
        let month = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
        (year, month)
    };
    let card = tokenise(&number, &expiry, &cvc, today)
        .map_err(|e| AppError::validation(e.field, e.problem))?;
    let intent = state
        .part::<super::Payments>()
        .provider
        .confirm_intent(&stored.intent.id, card.token(), &stored.return_url)
        .await
        .map_err(|e| {
            AppError::conflict(Problem::Verbatim {
                text: e.to_string(),
            })
        })?;
    let next = match intent.status {
        IntentStatus::RequiresAction => intent.pay_url.unwrap_or(stored.return_url),
        _ => stored.return_url,
    };
    leptos_axum::redirect(&next);
    Ok(())
}

/// Completes or fails the extra authentication step, then returns to the shop.
#[server(endpoint = "testpay/authenticate")]
pub async fn authenticate_test_payment(
    id: String,
    secret: String,
    outcome: String,
) -> Result<(), AppError> {
    let stored = open(&id, &secret).await?;
    let state = crate::platform::state::app_state()?;
    let super::CardProvider::Test(provider) = &state.part::<crate::payments::Payments>().provider
    else {
        return Err(AppError::not_found(Thing::Payment));
    };
    provider
        .authenticate(&stored.intent.id, outcome == "complete")
        .await
        .map_err(|e| {
            AppError::conflict(Problem::Verbatim {
                text: e.to_string(),
            })
        })?;
    leptos_axum::redirect(&stored.return_url);
    Ok(())
}

fn ids() -> (Memo<String>, Memo<String>) {
    let params = use_params_map();
    let query = use_query_map();
    (
        Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default())),
        Memo::new(move |_| query.with(|q| q.get("secret").unwrap_or_default())),
    )
}

/// `/testpay/<intent>?secret=…`: the test provider's card form.
#[component]
pub fn TestPayPage() -> impl IntoView {
    let (id, secret) = ids();
    let pay = ServerAction::<PayWithTestCard>::new();
    let payment = Resource::new(
        move || (id.get(), secret.get(), pay.version().get()),
        |(id, secret, _)| get_test_payment(id, secret),
    );
    let value = pay.value();
    let err = move |field: &'static str| value.with(|v| error_for(v, field));
    let form_error = move || {
        value.with(|v| match v {
            Some(Err(e)) if !matches!(e.field(), Some("number" | "expiry" | "cvc")) => {
                Some(e.to_string())
            }
            _ => None,
        })
    };
    view! {
        <Title text="Pay by card (test)"/>
        <section class="page testpay-page">
            <p class="testpay-banner">"Test payment provider · no real money moves · use a test card below"</p>
            <h1>"Pay by card"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match payment.await {
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(p) if p.status != "requires_payment_method" => view! {
                            <p>"This payment is " {p.status.replace('_', " ")} "."</p>
                            <p><a href=p.return_url>"Back to the shop"</a></p>
                        }.into_any(),
                        Ok(p) => view! {
                            <p class="testpay-amount">"Amount: " <strong>{p.amount.to_string()}</strong></p>
                            {p.last_error.clone().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                            <ActionForm action=pay attr:class="stack-form card-form">
                                <input type="hidden" name="id" value=p.id.clone()/>
                                <input type="hidden" name="secret" value=secret.get_untracked()/>
                                <p class="form-error" role="alert">{form_error}</p>
                                <div class="field">
                                    <label for="card-number">"Card number"</label>
                                    <input id="card-number" name="number" type="text" inputmode="numeric" autocomplete="cc-number"
                                        required=true maxlength="23" aria-describedby="card-number-error"
                                        aria-invalid=move || err("number").map(|_| "true")/>
                                    <p id="card-number-error" class="form-error">{move || err("number")}</p>
                                </div>
                                <div class="field-row">
                                    <div class="field">
                                        <label for="card-expiry">"Expiry (MM/YY)"</label>
                                        <input id="card-expiry" name="expiry" type="text" inputmode="numeric" autocomplete="cc-exp"
                                            required=true maxlength="7" aria-describedby="card-expiry-error"
                                            aria-invalid=move || err("expiry").map(|_| "true")/>
                                        <p id="card-expiry-error" class="form-error">{move || err("expiry")}</p>
                                    </div>
                                    <div class="field">
                                        <label for="card-cvc">"Security code"</label>
                                        <input id="card-cvc" name="cvc" type="text" inputmode="numeric" autocomplete="cc-csc"
                                            required=true maxlength="4" aria-describedby="card-cvc-error"
                                            aria-invalid=move || err("cvc").map(|_| "true")/>
                                        <p id="card-cvc-error" class="form-error">{move || err("cvc")}</p>
                                    </div>
                                </div>
                                <button type="submit" class="primary" disabled=move || pay.pending().get()>
                                    "Pay " {p.amount.to_string()}
                                </button>
                            </ActionForm>
                            <TestCards/>
                            <p><a href=p.return_url>"Cancel and go back to the shop"</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn TestCards() -> impl IntoView {
    let cards = [
        ("4242 4242 4242 4242", "succeeds"),
        ("4000 0027 6000 3184", "asks for authentication"),
        ("4000 0000 0000 0002", "is declined"),
        ("4000 0000 0000 9995", "is declined: insufficient funds"),
    ];
    view! {
        <details class="test-cards">
            <summary>"Test cards"</summary>
            <p>"Any future expiry date and any 3-digit security code."</p>
            <ul>
                {cards.into_iter().map(|(n, what)| view! { <li><code>{n}</code> " " {what}</li> }).collect_view()}
            </ul>
        </details>
    }
}

/// `/testpay/<intent>/authenticate?secret=…`: the stand-in for the bank's 3-D Secure page.
#[component]
pub fn TestPayAuthenticatePage() -> impl IntoView {
    let (id, secret) = ids();
    let act = ServerAction::<AuthenticateTestPayment>::new();
    let payment = Resource::new(
        move || (id.get(), secret.get()),
        |(id, secret)| get_test_payment(id, secret),
    );
    view! {
        <Title text="Confirm your payment (test)"/>
        <section class="page testpay-page">
            <p class="testpay-banner">"Test payment provider · this page stands in for your bank's check"</p>
            <h1>"Confirm your payment"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match payment.await {
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(p) => {
                            let (id1, id2) = (p.id.clone(), p.id.clone());
                            let (s1, s2) = (secret.get_untracked(), secret.get_untracked());
                            view! {
                            <p>"Your bank asks you to confirm a payment of " <strong>{p.amount.to_string()}</strong>
                               {p.card.clone().map(|c| format!(" with {c}"))} "."</p>
                            <div class="button-row">
                                <ActionForm action=act attr:class="inline-form">
                                    <input type="hidden" name="id" value=id1/>
                                    <input type="hidden" name="secret" value=s1/>
                                    <input type="hidden" name="outcome" value="complete"/>
                                    <button type="submit" class="primary">"Complete authentication"</button>
                                </ActionForm>
                                <ActionForm action=act attr:class="inline-form">
                                    <input type="hidden" name="id" value=id2/>
                                    <input type="hidden" name="secret" value=s2/>
                                    <input type="hidden" name="outcome" value="fail"/>
                                    <button type="submit" class="secondary">"Fail authentication"</button>
                                </ActionForm>
                            </div>
                        }.into_any()
                        },
                    }
                })}
            </Suspense>
        </section>
    }
}
