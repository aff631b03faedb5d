use super::list_orders::list_orders;
use super::order_page::{OrderBody, when};
use super::status_rules::allowed;
use super::{MarkOrderPaid, RefundOrder, UpdateOrderStatus, get_order};
use crate::shell::error_for;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};
use shop_types::{AppError, OrderStatus, PaymentMethod};

/// `/admin/orders`: every order, newest first, filtered by status (a plain GET form).
#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    let query = use_query_map();
    let status = Memo::new(move |_| query.with(|q| q.get("status")).filter(|s| !s.is_empty()));
    let page = Memo::new(move |_| {
        query
            .with(|q| q.get("page"))
            .and_then(|p| p.parse::<u32>().ok())
    });
    let orders = Resource::new(
        move || (status.get(), page.get()),
        |(s, p)| list_orders(s, p),
    );
    let options = move || {
        let current = status.get().unwrap_or_default();
        std::iter::once(("".to_owned(), "Any status".to_owned()))
            .chain(
                OrderStatus::ALL
                    .iter()
                    .map(|s| (s.as_str().to_owned(), s.label().to_owned())),
            )
            .map(|(value, label)| {
                let selected = value == current;
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <Title text="Orders"/>
        <section class="page">
            <h1>"Orders"</h1>
            <form method="get" action="/admin/orders" class="inline-form filter-form">
                <label for="order-status">"Status"</label>
                <select id="order-status" name="status">{options}</select>
                <button type="submit" class="secondary">"Show"</button>
            </form>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match orders.await {
                        Ok(list) if list.is_empty() => view! { <p>"No orders."</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="order-list">
                                <caption class="visually-hidden">"Orders, newest first"</caption>
                                <thead><tr><th scope="col">"Order"</th><th scope="col">"Placed"</th><th scope="col">"Customer"</th><th scope="col">"Payment"</th><th scope="col">"Status"</th><th scope="col" class="num">"Total"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|o| view! {
                                        <tr>
                                            <td><a href=format!("/admin/orders/{}", o.id)>"Order " {o.number}</a></td>
                                            <td>{when(o.placed_at)}</td>
                                            <td>{o.email}</td>
                                            <td>{o.payment_method.label()}</td>
                                            <td>{o.status.label()}</td>
                                            <td class="num">{o.total.to_string()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in"/> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/admin/orders/<id>`: one order for staff, with what can be done to it next.
#[component]
pub fn AdminOrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let paid = ServerAction::<MarkOrderPaid>::new();
    let status = ServerAction::<UpdateOrderStatus>::new();
    let refund = ServerAction::<RefundOrder>::new();
    let order = Resource::new(
        move || {
            (
                id.get(),
                paid.version().get(),
                status.version().get(),
                refund.version().get(),
            )
        },
        |(id, _, _, _)| get_order(id, None),
    );
    view! {
        <Title text="Order"/>
        <section class="page order-page">
            <p><a href="/admin/orders">"All orders"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(o) => {
                            let title = format!("Order {}", o.number);
                            view! {
                                <h1>{title} " " <span class="status-badge">{o.status.label()}</span></h1>
                                <p class="hint">"Placed " {when(o.placed_at)} " by " {o.email.clone()}</p>
                                <StaffActions id=o.id.clone() current=o.status method=o.payment_method paid status refund/>
                                <OrderBody order=o/>
                            }.into_any()
                        }
                        Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in"/> }.into_any(),
                        Err(e) => view! { <h1>"Order"</h1><p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn StaffActions(
    id: String,
    current: OrderStatus,
    method: PaymentMethod,
    paid: ServerAction<MarkOrderPaid>,
    status: ServerAction<UpdateOrderStatus>,
    refund: ServerAction<RefundOrder>,
) -> impl IntoView {
    let manual_unpaid = current == OrderStatus::AwaitingPayment && method != PaymentMethod::Card;
    let next: Vec<OrderStatus> = OrderStatus::ALL
        .into_iter()
        .filter(|to| {
            !matches!(
                to,
                OrderStatus::Paid | OrderStatus::PartlyRefunded | OrderStatus::Refunded
            ) && allowed(current, *to, method)
        })
        .collect();
    let can_refund = allowed(current, OrderStatus::Refunded, method)
        || allowed(current, OrderStatus::PartlyRefunded, method);
    let paid_error = move || paid.value().with(|v| error_for(v, ""));
    let status_error = move || {
        status.value().with(|v| match v {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    };
    let refund_error = move || {
        refund.value().with(|v| match v {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    };
    let id_paid = id.clone();
    let id_refund = id.clone();
    view! {
        <section class="staff-actions" aria-labelledby="actions-heading">
            <h2 id="actions-heading">"Next steps"</h2>
            {manual_unpaid.then(|| view! {
                <ActionForm action=paid attr:class="inline-form">
                    <input type="hidden" name="id" value=id_paid/>
                    <button type="submit" class="primary">"Mark as paid"</button>
                </ActionForm>
                <p class="form-error" role="alert">{paid_error}</p>
            })}
            {(!next.is_empty()).then(|| {
                let options = next.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view();
                view! {
                    <ActionForm action=status attr:class="stack-form">
                        <input type="hidden" name="id" value=id.clone()/>
                        <div class="field">
                            <label for="next-status">"Change the status to"</label>
                            <select id="next-status" name="status">{options}</select>
                        </div>
                        <div class="field">
                            <label for="ship-carrier">"Carrier (when shipping)"</label>
                            <input id="ship-carrier" name="carrier" type="text" maxlength="60"/>
                        </div>
                        <div class="field">
                            <label for="ship-tracking">"Tracking number (when shipping)"</label>
                            <input id="ship-tracking" name="tracking_number" type="text" maxlength="80"/>
                        </div>
                        <div class="field">
                            <label for="status-note">"Note to the customer (optional)"</label>
                            <input id="status-note" name="note" type="text" maxlength="1000"/>
                        </div>
                        <p class="form-error" role="alert">{status_error}</p>
                        <button type="submit" class="primary">"Update status"</button>
                    </ActionForm>
                }
            })}
            {can_refund.then(|| view! {
                <ActionForm action=refund attr:class="stack-form">
                    <input type="hidden" name="id" value=id_refund/>
                    <div class="field">
                        <label for="refund-amount">"Refund amount"</label>
                        <input id="refund-amount" name="amount" type="text" inputmode="decimal" required=true maxlength="20"/>
                    </div>
                    <div class="field">
                        <label for="refund-reason">"Reason (optional)"</label>
                        <input id="refund-reason" name="reason" type="text" maxlength="500"/>
                    </div>
                    <p class="form-error" role="alert">{refund_error}</p>
                    <button type="submit" class="secondary">"Refund"</button>
                </ActionForm>
            })}
        </section>
    }
}
