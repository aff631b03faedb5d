use super::views::OrderView;
use super::{CancelOrder, PayOrder, RequestReturn, get_order};
use crate::ui::error_for;
use crate::ui::when;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shop_types::OrderStatus;

/// `/orders/<id>`: an order's status, contents, payment and history. Guests open it with the
/// `key` from their confirmation link; the account that placed it needs no key.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let key = Memo::new(move |_| query.with(|q| q.get("key")));
    let returned = Memo::new(move |_| query.with(|q| q.get("paid").is_some()));
    let pay = ServerAction::<PayOrder>::new();
    let cancel = ServerAction::<CancelOrder>::new();
    let ask_return = ServerAction::<RequestReturn>::new();
    let order = Resource::new(
        move || {
            (
                id.get(),
                key.get(),
                cancel.version().get(),
                ask_return.version().get(),
            )
        },
        |(id, key, _, _)| get_order(id, key),
    );
    view! {
        <Title text="Your order"/>
        <section class="page order-page">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(o) => view! {
                            <OrderDetail order=o key=key.get_untracked() returned=returned.get_untracked() pay cancel ask_return/>
                        }.into_any(),
                        Err(e) => view! { <h1>"Order"</h1><p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn OrderDetail(
    order: OrderView,
    key: Option<String>,
    returned: bool,
    pay: ServerAction<PayOrder>,
    cancel: ServerAction<CancelOrder>,
    ask_return: ServerAction<RequestReturn>,
) -> impl IntoView {
    let key_value = key.clone().unwrap_or_default();
    let notice = match order.status {
        OrderStatus::Paid if returned => {
            Some("Thank you! Your payment was received and your order is confirmed.".to_owned())
        }
        OrderStatus::AwaitingPayment
            if order.payment_error.is_none()
                && order.bank_instructions.is_none()
                && order.can_pay =>
        {
            Some("Your order is reserved for you until it is paid.".to_owned())
        }
        _ => None,
    };
    let payment_problem = order.payment_error.clone().map(|e| {
        view! {
            <div class="notice notice-error" role="alert">
                <p><strong>"Your payment did not go through: " {e}</strong></p>
                <p>"Nothing was charged and your cart is kept. Try again, perhaps with another card."</p>
            </div>
        }
    });
    let pay_form = order.can_pay.then(|| {
        let (id, k) = (order.id.clone(), key_value.clone());
        let err = move || pay.value().with(|v| error_for(v, ""));
        view! {
            <ActionForm action=pay attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="key" value=k/>
                <button type="submit" class="primary">"Pay now"</button>
            </ActionForm>
            <p class="form-error" role="alert">{err}</p>
        }
    });
    let title = format!("Order {}", order.number);
    view! {
        <Title text=title.clone()/>
        <h1>{title} " " <span class="status-badge">{order.status.label()}</span></h1>
        <p class="hint">"Placed " {when(order.placed_at)} " · confirmation to " {order.email.clone()}</p>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {payment_problem}
        {pay_form}
        {order.bank_instructions.as_ref().map(|b| view! { <p class="notice">{shop_types::messages::en::bank_transfer(b)}</p> })}
        <OrderBody order=order.clone()/>
        <OrderActions order key=key_value cancel ask_return/>
    }
}

/// The order's lines, totals, address, payment and history (shared with the staff page).
#[component]
pub fn OrderBody(order: OrderView) -> impl IntoView {
    let lines = order
        .lines
        .iter()
        .map(|l| {
            let name = if l.variant.is_empty() { l.title.clone() } else { format!("{} ({})", l.title, l.variant) };
            view! {
                <tr>
                    <td><a href=format!("/products/{}", l.product_slug)>{name}</a><br/><span class="hint">{l.sku.clone()}</span></td>
                    <td class="num">{l.quantity}</td>
                    <td class="num">{l.unit_price.to_string()}</td>
                    <td class="num">{l.line_total.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    let a = order.address.clone();
    let tax_label = if order.prices_include_tax {
        format!("Including {}", order.tax_label)
    } else {
        order.tax_label.clone()
    };
    let tracking = order.tracking_number.clone().map(|t| {
        view! { <p>"Shipped with " {order.carrier.clone().unwrap_or_default()} ", tracking number " <strong>{t}</strong></p> }
    });
    let history = order
        .history
        .iter()
        .map(|e| {
            let told = e.detail.as_ref().map(shop_types::messages::en::history_note);
            let note = [told.unwrap_or_default(), e.note.clone()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let note = (!note.is_empty()).then(|| format!(" — {note}"));
            view! { <li><time>{when(e.at)}</time> " " <strong>{e.status.label()}</strong>{note}</li> }
        })
        .collect_view();
    view! {
        <table class="order-lines">
            <caption>"Items"</caption>
            <thead><tr><th scope="col">"Item"</th><th scope="col" class="num">"Qty"</th><th scope="col" class="num">"Price"</th><th scope="col" class="num">"Total"</th></tr></thead>
            <tbody>{lines}</tbody>
        </table>
        <dl class="totals">
            <div><dt>"Subtotal"</dt><dd>{order.subtotal.to_string()}</dd></div>
            {(order.discount.minor > 0).then(|| view! {
                <div class="discount"><dt>"Discount " {order.coupon_code.clone().unwrap_or_default()}</dt><dd>"−" {order.discount.to_string()}</dd></div>
            })}
            <div><dt>"Shipping (" {order.shipping_name.clone()} ")"</dt><dd>{order.shipping.to_string()}</dd></div>
            <div class="tax"><dt>{tax_label}</dt><dd>{order.tax.to_string()}</dd></div>
            <div class="grand-total"><dt>"Total"</dt><dd class="order-total">{order.total.to_string()}</dd></div>
            {(order.refunded.minor > 0).then(|| view! { <div><dt>"Refunded"</dt><dd>{order.refunded.to_string()}</dd></div> })}
        </dl>
        <div class="order-facts">
            <section aria-labelledby="deliver-heading">
                <h2 id="deliver-heading">"Delivery address"</h2>
                <PostalAddress address=a/>
                {tracking}
            </section>
            {order.billing.clone().map(|b| view! {
                <section aria-labelledby="billing-heading">
                    <h2 id="billing-heading">"Billing address"</h2>
                    <PostalAddress address=b/>
                </section>
            })}
            <section aria-labelledby="payment-heading">
                <h2 id="payment-heading">"Payment"</h2>
                <p>{order.payment_method.label()}</p>
            </section>
        </div>
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <ol class="order-history">{history}</ol>
        </section>
    }
}

#[component]
fn OrderActions(
    order: OrderView,
    key: String,
    cancel: ServerAction<CancelOrder>,
    ask_return: ServerAction<RequestReturn>,
) -> impl IntoView {
    let invoice = order.invoice_number.map(|n| {
        let href = format!("/orders/{}/invoice?key={}", order.id, key);
        view! { <p><a href=href>"Invoice " {n} " (printable)"</a></p> }
    });
    let cancel_form = order.can_cancel.then(|| {
        let (id, k) = (order.id.clone(), key.clone());
        let err = move || cancel.value().with(|v| error_for(v, ""));
        view! {
            <ActionForm action=cancel attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="key" value=k/>
                <button type="submit" class="secondary">"Cancel this order"</button>
            </ActionForm>
            <p class="form-error" role="alert">{err}</p>
        }
    });
    let return_form = order.can_request_return.then(|| {
        let (id, k) = (order.id.clone(), key.clone());
        let err = move || ask_return.value().with(|v| error_for(v, "reason"));
        view! {
            <ActionForm action=ask_return attr:class="stack-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="key" value=k/>
                <div class="field">
                    <label for="return-reason">"Why do you want to return it?"</label>
                    <textarea id="return-reason" name="reason" maxlength="500" required=true aria-describedby="return-reason-error"></textarea>
                    <p id="return-reason-error" class="form-error">{err}</p>
                </div>
                <button type="submit" class="secondary">"Ask for a return"</button>
            </ActionForm>
        }
    });
    view! {
        {invoice}
        {cancel_form}
        {return_form}
    }
}

/// A postal address as an `<address>` block (the order page, the invoice).
#[component]
pub fn PostalAddress(address: shop_types::AddressInput) -> impl IntoView {
    let a = address;
    view! {
        <address>
            {a.full_name}<br/>
            {(!a.company.is_empty()).then(|| view! { {a.company.clone()}<br/> })}
            {a.line1}<br/>
            {(!a.line2.is_empty()).then(|| view! { {a.line2.clone()}<br/> })}
            {a.postal_code} " " {a.city}<br/>
            {(!a.region.is_empty()).then(|| view! { {a.region.clone()}<br/> })}
            {shop_types::address::country_name(&a.country).unwrap_or("").to_owned()}
        </address>
    }
}
