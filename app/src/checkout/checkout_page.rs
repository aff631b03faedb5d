use super::views::{CheckoutView, QuoteView};
use super::{ApplyCoupon, ChooseShipping, PlaceOrder, SaveCheckoutDetails, get_checkout};
use crate::account::AddressFields;
use crate::ui::error_for;
use leptos::prelude::*;
use leptos_meta::Title;
use shop_types::{AddressInput, PaymentMethod};

/// `/checkout`: contact and address, shipping method, coupon, review and payment, on one page
/// of plain forms (each step works without JavaScript and comes back here).
#[component]
pub fn CheckoutPage() -> impl IntoView {
    let details = ServerAction::<SaveCheckoutDetails>::new();
    let shipping = ServerAction::<ChooseShipping>::new();
    let coupon = ServerAction::<ApplyCoupon>::new();
    let place = ServerAction::<PlaceOrder>::new();
    let checkout = Resource::new(
        move || {
            (
                details.version().get(),
                shipping.version().get(),
                coupon.version().get(),
                place.version().get(),
            )
        },
        |_| get_checkout(),
    );
    let actions = Actions {
        details,
        shipping,
        coupon,
        place,
    };
    view! {
        <Title text="Checkout"/>
        <section class="page checkout-page">
            <h1>"Checkout"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match checkout.await {
                        Ok(view) => view! { <CheckoutSteps checkout=view actions/> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    details: ServerAction<SaveCheckoutDetails>,
    shipping: ServerAction<ChooseShipping>,
    coupon: ServerAction<ApplyCoupon>,
    place: ServerAction<PlaceOrder>,
}

#[component]
fn CheckoutSteps(checkout: CheckoutView, actions: Actions) -> impl IntoView {
    if checkout.cart.lines.is_empty() {
        return view! {
            <p>"Your cart is empty."</p>
            <p><a href="/">"Continue shopping"</a></p>
        }
        .into_any();
    }
    let has_address = checkout.address.is_some();
    view! {
        <div class="checkout-grid">
            <div class="checkout-steps">
                <DetailsStep checkout=checkout.clone() action=actions.details/>
                {has_address.then(|| view! { <ShippingStep checkout=checkout.clone() action=actions.shipping/> })}
                <CouponStep checkout=checkout.clone() action=actions.coupon/>
                <PlaceStep checkout=checkout.clone() action=actions.place/>
            </div>
            <OrderSummary checkout/>
        </div>
    }
    .into_any()
}

#[component]
fn DetailsStep(checkout: CheckoutView, action: ServerAction<SaveCheckoutDetails>) -> impl IntoView {
    let value = action.value();
    let err = move |field: &'static str| value.with(|v| error_for(v, field));
    let address = checkout.address.clone().unwrap_or_else(|| AddressInput {
        country: "DE".into(),
        ..Default::default()
    });
    let saved = (!checkout.saved_addresses.is_empty()).then(|| {
        let current = checkout.address.clone();
        let choices = checkout
            .saved_addresses
            .iter()
            .enumerate()
            .map(|(i, choice)| {
                let id = format!("saved-address-{i}");
                let a = &choice.address;
                let label = format!(
                    "{}, {}, {} {}, {}",
                    a.full_name, a.line1, a.postal_code, a.city, a.country
                );
                let checked = current.as_ref() == Some(&choice.address);
                view! {
                    <div class="radio">
                        <input type="radio" id=id.clone() name="saved_address" value=choice.id.clone() checked=checked/>
                        <label for=id>{label}</label>
                    </div>
                }
            })
            .collect_view();
        let none_checked = !checkout
            .saved_addresses
            .iter()
            .any(|c| Some(&c.address) == current.as_ref());
        view! {
            <fieldset class="choices">
                <legend>"Deliver to"</legend>
                {choices}
                <div class="radio">
                    <input type="radio" id="saved-address-new" name="saved_address" value="new" checked=none_checked/>
                    <label for="saved-address-new">"A new address (enter it below)"</label>
                </div>
                <p class="form-error">{move || err("saved_address")}</p>
            </fieldset>
        }
    });
    let done = checkout.address.is_some();
    let insist = checkout.saved_addresses.is_empty();
    let bill_elsewhere = checkout.billing.is_some();
    let billing = checkout.billing.clone().unwrap_or_else(|| AddressInput {
        country: address.country.clone(),
        ..Default::default()
    });
    let billing_err =
        move |field: &'static str| value.with(|v| error_for(v, &format!("billing.{field}")));
    view! {
        <section id="details" class="checkout-step" aria-labelledby="details-heading">
            <h2 id="details-heading">"1. Contact and delivery"</h2>
            <ActionForm action attr:class="stack-form">
                <p class="form-error" role="alert">{move || err("")}</p>
                <div class="field">
                    <label for="checkout-email">"E-mail (for your receipt)"</label>
                    <input id="checkout-email" type="email" name="email" autocomplete="email" required maxlength="254"
                        value=checkout.email.clone() aria-describedby="checkout-email-error"
                        aria-invalid=move || err("email").map(|_| "true")/>
                    <p id="checkout-email-error" class="form-error">{move || err("email")}</p>
                </div>
                {saved}
                <AddressFields id_prefix="checkout-address" address insist
                    error=Callback::new(move |field: &'static str| err(field))/>
                // Shown by CSS while the box is ticked, so it works without JavaScript too.
                <div class="field checkbox bill-elsewhere">
                    <input id="checkout-bill-elsewhere" type="checkbox" name="bill_elsewhere" checked=bill_elsewhere/>
                    <label for="checkout-bill-elsewhere">"Bill to a different address"</label>
                </div>
                <fieldset class="billing-address">
                    <legend>"Billing address"</legend>
                    <AddressFields id_prefix="checkout-billing" name="billing" address=billing insist=false
                        error=Callback::new(billing_err)/>
                </fieldset>
                <button type="submit" class=if done { "secondary" } else { "" }
                    disabled=move || action.pending().get()>
                    {if done { "Update address" } else { "Continue to shipping" }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ShippingStep(checkout: CheckoutView, action: ServerAction<ChooseShipping>) -> impl IntoView {
    let value = action.value();
    let err = move || value.with(|v| error_for(v, "rate"));
    if checkout.shipping_options.is_empty() {
        return view! {
            <section id="shipping" class="checkout-step" aria-labelledby="shipping-heading">
                <h2 id="shipping-heading">"2. Shipping"</h2>
                <p role="alert">"Sorry, we cannot ship this order to that address. Try another address or country."</p>
            </section>
        }
        .into_any();
    }
    let chosen = checkout.shipping_rate_id.clone();
    let options = checkout
        .shipping_options
        .iter()
        .map(|o| {
            let id = format!("rate-{}", o.id);
            let price = if o.price.minor == 0 {
                "Free".to_owned()
            } else {
                o.price.to_string()
            };
            let days = (!o.delivery_days.is_empty()).then(|| format!(" · {}", o.delivery_days));
            view! {
                <div class="radio">
                    <input type="radio" id=id.clone() name="rate" value=o.id.clone()
                        checked=chosen.as_deref() == Some(o.id.as_str()) required=true/>
                    <label for=id>{o.name.clone()} " — " <strong>{price}</strong>{days}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section id="shipping" class="checkout-step" aria-labelledby="shipping-heading">
            <h2 id="shipping-heading">"2. Shipping"</h2>
            <ActionForm action attr:class="stack-form">
                <fieldset class="choices">
                    <legend>"Shipping method"</legend>
                    {options}
                </fieldset>
                <p class="form-error" role="alert">{err}</p>
                <button type="submit" class="secondary" disabled=move || action.pending().get()>"Use this method"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn CouponStep(checkout: CheckoutView, action: ServerAction<ApplyCoupon>) -> impl IntoView {
    let value = action.value();
    let err = move || value.with(|v| error_for(v, "code"));
    let applied = checkout.coupon.clone().map(|(code, what)| {
        view! {
            <p class="coupon-applied">"Code " <strong>{code}</strong> ": " {what}</p>
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="code" value=""/>
                <button type="submit" class="link-button">"Remove code"</button>
            </ActionForm>
        }
    });
    let problem = checkout
        .coupon_problem
        .clone()
        .map(|p| view! { <p class="form-error" role="alert">"Your code does not apply: " {p}</p> });
    view! {
        <section id="coupon" class="checkout-step" aria-labelledby="coupon-heading">
            <h2 id="coupon-heading">"3. Coupon"</h2>
            {applied}
            {problem}
            <ActionForm action attr:class="inline-form coupon-form">
                <label for="coupon-code">"Coupon code"</label>
                <input id="coupon-code" name="code" type="text" autocomplete="off" maxlength="40"
                    aria-describedby="coupon-code-error" aria-invalid=move || err().map(|_| "true")/>
                <button type="submit" class="secondary" disabled=move || action.pending().get()>"Apply"</button>
            </ActionForm>
            <p id="coupon-code-error" class="form-error">{err}</p>
        </section>
    }
}

#[component]
fn PlaceStep(checkout: CheckoutView, action: ServerAction<PlaceOrder>) -> impl IntoView {
    let value = action.value();
    let err = move || {
        value.with(|v| match v {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    };
    let ready = checkout.missing.is_empty();
    let missing = (!ready).then(|| {
        view! {
            <ul class="checkout-missing">
                {checkout.missing.iter().map(|m| view! { <li>{m.to_string()}</li> }).collect_view()}
            </ul>
        }
    });
    let methods = checkout
        .payment_methods
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let id = format!("pay-{}", m.as_str());
            let hint = match m {
                PaymentMethod::Card => "You pay on the next page.",
                PaymentMethod::BankTransfer => "We send our bank details; we ship when the money arrives.",
                PaymentMethod::CashOnDelivery => "Pay the courier in cash.",
            };
            view! {
                <div class="radio">
                    <input type="radio" id=id.clone() name="payment_method" value=m.as_str() checked=i == 0/>
                    <label for=id>{m.label()} <span class="hint">" — " {hint}</span></label>
                </div>
            }
        })
        .collect_view();
    let total = checkout
        .quote
        .as_ref()
        .map(|q| q.total.to_string())
        .unwrap_or_default();
    view! {
        <section id="review" class="checkout-step" aria-labelledby="review-heading">
            <h2 id="review-heading">"4. Review and pay"</h2>
            {missing}
            <ActionForm action attr:class="stack-form">
                <input type="hidden" name="idempotency_key" value=checkout.idempotency_key.clone()/>
                <fieldset class="choices">
                    <legend>"Payment method"</legend>
                    {methods}
                </fieldset>
                <p class="form-error" role="alert">{err}</p>
                <button type="submit" class="primary place-order" disabled=move || !ready || action.pending().get()>
                    "Place order · " {total}
                </button>
                <p class="hint">"By placing the order you agree to pay the total shown."</p>
            </ActionForm>
        </section>
    }
}

#[component]
fn OrderSummary(checkout: CheckoutView) -> impl IntoView {
    let lines = checkout
        .cart
        .lines
        .iter()
        .map(|l| {
            let name = if l.variant.is_empty() {
                l.title.clone()
            } else {
                format!("{} ({})", l.title, l.variant)
            };
            let problem = l
                .problem
                .clone()
                .map(|p| view! { <span class="stock-warning">{p}</span> });
            view! {
                <li>
                    <span>{l.quantity} " × " {name} {problem}</span>
                    <span>{l.line_total.to_string()}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <aside class="checkout-summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading">"Your order"</h2>
            <ul class="summary-lines">{lines}</ul>
            {checkout.quote.map(|q| view! { <Totals quote=q/> })}
            <p><a href="/cart">"Change the cart"</a></p>
        </aside>
    }
}

#[component]
fn Totals(quote: QuoteView) -> impl IntoView {
    let tax_row = if quote.prices_include_tax {
        format!(
            "Including {}",
            if quote.tax_label.is_empty() {
                "tax".to_owned()
            } else {
                quote.tax_label.clone()
            }
        )
    } else if quote.tax_label.is_empty() {
        "Tax".to_owned()
    } else {
        quote.tax_label.clone()
    };
    view! {
        <dl class="totals">
            <div><dt>"Subtotal"</dt><dd>{quote.subtotal.to_string()}</dd></div>
            {(quote.discount.minor > 0).then(|| view! {
                <div class="discount"><dt>"Discount"</dt><dd>"−" {quote.discount.to_string()}</dd></div>
            })}
            <div><dt>"Shipping"</dt><dd>{quote.shipping.map(|s| if s.minor == 0 { "Free".to_owned() } else { s.to_string() }).unwrap_or_else(|| "Chosen next".to_owned())}</dd></div>
            <div class="tax"><dt>{tax_row}</dt><dd>{quote.tax.to_string()}</dd></div>
            <div class="grand-total"><dt>"Total"</dt><dd class="order-total">{quote.total.to_string()}</dd></div>
        </dl>
    }
}
