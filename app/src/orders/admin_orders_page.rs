use super::list_orders::list_orders;
use super::order_page::OrderBody;
use super::staff_views::OrderWorkbench;
use super::status_rules::allowed;
use super::{AddOrderNote, FulfilOrder, get_order_workbench};
use super::{MarkOrderPaid, RefundOrder, UpdateOrderStatus, get_order};
use crate::ui::RiskReasons;
use crate::ui::error_for;
use crate::ui::when;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};
use shop_types::{AppError, OrderStatus, PaymentMethod};

/// `/admin/orders`: every order, newest first, filtered by status, payment method, number or
/// e-mail and dates (a plain GET form), 50 a page with keyset "Next page" links.
#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k)).filter(|s| !s.is_empty());
    let params = Memo::new(move |_| {
        (
            get("status"),
            get("method"),
            get("q"),
            get("from"),
            get("to"),
            get("after"),
        )
    });
    let orders = Resource::new(
        move || params.get(),
        |(s, m, q, f, t, a)| list_orders(s, m, q, f, t, a),
    );
    let status_options = move || {
        let current = get("status").unwrap_or_default();
        crate::ui::filter_options(
            &current,
            "Any status",
            OrderStatus::ALL.iter().map(|s| (s.as_str(), s.label())),
        )
    };
    let method_options = move || {
        let current = get("method").unwrap_or_default();
        crate::ui::filter_options(
            &current,
            "Any method",
            PaymentMethod::ALL.iter().map(|m| (m.as_str(), m.label())),
        )
    };
    const FILTERS: [&str; 5] = ["status", "method", "q", "from", "to"];
    let next_link = move |cursor: String| {
        query.with(|q| crate::ui::next_page("/admin/orders", q, &FILTERS, cursor))
    };
    // The same filters, all pages: the cursor-less part of a "next" link.
    let export_link = move || {
        let pairs: Vec<(String, String)> = FILTERS
            .iter()
            .filter_map(|k| get(k).map(|v| ((*k).to_owned(), v)))
            .collect();
        format!(
            "/admin/export/orders.csv?{}",
            crate::ui::query_string(&pairs)
        )
    };
    view! {
        <Title text="Orders"/>
        <section class="page">
            <h1>"Orders"</h1>
            <form method="get" action="/admin/orders" class="filter-form">
                <div class="field">
                    <label for="order-q">"Order number or e-mail"</label>
                    <input id="order-q" name="q" type="search" maxlength="200" value=move || get("q").unwrap_or_default()/>
                </div>
                <div class="field">
                    <label for="order-status">"Status"</label>
                    <select id="order-status" name="status">{status_options}</select>
                </div>
                <div class="field">
                    <label for="order-method">"Payment"</label>
                    <select id="order-method" name="method">{method_options}</select>
                </div>
                <div class="field">
                    <label for="order-from">"Placed from"</label>
                    <input id="order-from" name="from" type="date" value=move || get("from").unwrap_or_default()/>
                </div>
                <div class="field">
                    <label for="order-to">"Placed until"</label>
                    <input id="order-to" name="to" type="date" value=move || get("to").unwrap_or_default()/>
                </div>
                <button type="submit" class="secondary">"Show"</button>
            </form>
            <p><a href=export_link download="orders.csv">"Download these orders as CSV"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match orders.await {
                        Ok(page) if page.rows.is_empty() => view! { <p>"No orders."</p> }.into_any(),
                        Ok(page) => view! {
                            <table class="order-list data-table">
                                <caption class="visually-hidden">"Orders, newest first"</caption>
                                <thead><tr><th scope="col">"Order"</th><th scope="col">"Placed"</th><th scope="col">"Customer"</th><th scope="col">"Payment"</th><th scope="col">"Status"</th><th scope="col" class="num">"Total"</th></tr></thead>
                                <tbody>
                                    {page.rows.into_iter().map(|o| view! {
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
                            {page.next.map(|cursor| view! { <p><a href=next_link(cursor) rel="next">"Next page"</a></p> })}
                        }.into_any(),
                        Err(e) => crate::ui::admin_error(e),
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
    let fulfil = ServerAction::<FulfilOrder>::new();
    let note = ServerAction::<AddOrderNote>::new();
    let bench = Resource::new(
        move || {
            (
                id.get(),
                fulfil.version().get(),
                note.version().get(),
                status.version().get(),
            )
        },
        |(id, _, _, _)| get_order_workbench(id),
    );
    let order = Resource::new(
        move || {
            (
                id.get(),
                paid.version().get(),
                status.version().get(),
                refund.version().get(),
                fulfil.version().get(),
            )
        },
        |(id, _, _, _, _)| get_order(id, None),
    );
    view! {
        <Title text="Order"/>
        <section class="page order-page">
            <p><a href="/admin/orders">"All orders"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(o) => {
                            let bench = bench;
                            let title = format!("Order {}", o.number);
                            view! {
                                <h1>{title} " " <span class="status-badge">{o.status.label()}</span></h1>
                                <p class="hint">"Placed " {when(o.placed_at)} " by " {o.email.clone()}</p>
                                <StaffActions id=o.id.clone() current=o.status method=o.payment_method paid status refund/>
                                {match bench.await {
                                    Ok(b) => view! { <Workbench id=o.id.clone() current=o.status method=o.payment_method bench=b fulfil note/> }.into_any(),
                                    Err(e) => crate::ui::admin_error(e),
                                }}
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
                OrderStatus::Paid
                    | OrderStatus::PartlyRefunded
                    | OrderStatus::Refunded
                    | OrderStatus::PartlyFulfilled
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

/// Parcels (send some or all units, from a location, with tracking), shipments sent, and
/// internal notes.
#[component]
fn Workbench(
    id: String,
    current: OrderStatus,
    method: PaymentMethod,
    bench: OrderWorkbench,
    fulfil: ServerAction<FulfilOrder>,
    note: ServerAction<AddOrderNote>,
) -> impl IntoView {
    let held = bench.held;
    let risk = bench.risk.clone();
    let can_send = !held
        && bench.lines.iter().any(|l| l.fulfilled < l.quantity)
        && (allowed(current, OrderStatus::PartlyFulfilled, method)
            || allowed(current, OrderStatus::Fulfilled, method));
    let fulfil_error = move || fulfil.value().with(|v| error_for(v, ""));
    let note_error = move || note.value().with(|v| error_for(v, ""));
    let locations = bench
        .locations
        .iter()
        .map(|l| view! { <option value=l.id.clone()>{l.name.clone()}</option> })
        .collect_view();
    let lines = bench
        .lines
        .iter()
        .map(|l| {
            let left = l.quantity - l.fulfilled;
            let input_id = format!("send-{}", l.position);
            view! {
                <tr>
                    <th scope="row"><label for=input_id.clone()>{l.title.clone()} " (" {l.sku.clone()} ")"</label></th>
                    <td class="num">{l.fulfilled} " of " {l.quantity}</td>
                    <td>
                        <input id=input_id name=format!("quantities[{}]", l.position) type="number" min="0" max=left.to_string()
                            value=left.to_string() inputmode="numeric" disabled=left == 0 class="qty-input"/>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let shipments = (!bench.shipments.is_empty()).then(|| {
        view! {
            <h3>"Shipments"</h3>
            <ul class="shipments">
                {bench.shipments.iter().map(|s| view! {
                    <li>{when(s.at)} ": " {s.contents.clone()}
                        {(!s.location.is_empty()).then(|| format!(" from {}", s.location))}
                        {(!s.tracking_number.is_empty()).then(|| format!(" – {} {}", s.carrier, s.tracking_number))}
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    let notes = bench
        .notes
        .iter()
        .map(|n| view! { <li><p class="hint">{when(n.at)} " – " {n.author.clone()}</p><p class="note-body">{n.body.clone()}</p></li> })
        .collect_view();
    let id_note = id.clone();
    view! {
        <section class="staff-fulfilment" aria-labelledby="fulfil-heading">
            <h2 id="fulfil-heading">"Fulfilment"</h2>
            {risk.map(|(score, reasons)| view! {
                <p>"Risk score: " <strong>{format!("{score} of 100")}</strong></p>
                {(!reasons.is_empty()).then(|| view! { <RiskReasons reasons/> })}
            })}
            {held.then(|| view! {
                <p class="hold-banner" role="status">
                    "Held for a risk review: nothing can be packed or shipped until the order is approved. "
                    <a href=shop_types::paths::RISK_REVIEW>"Open the risk review"</a>
                </p>
            })}
            {can_send.then(|| view! {
                <ActionForm action=fulfil attr:class="stack-form">
                    <input type="hidden" name="id" value=id.clone()/>
                    <table class="data-table">
                        <caption class="visually-hidden">"Units to send now"</caption>
                        <thead><tr><th scope="col">"Item"</th><th scope="col" class="num">"Sent"</th><th scope="col">"Send now"</th></tr></thead>
                        <tbody>{lines}</tbody>
                    </table>
                    <div class="field">
                        <label for="send-location">"Send from"</label>
                        <select id="send-location" name="location_id">
                            <option value="">"Where most is kept"</option>
                            {locations}
                        </select>
                    </div>
                    <div class="field">
                        <label for="send-carrier">"Carrier (optional)"</label>
                        <input id="send-carrier" name="carrier" type="text" maxlength="60"/>
                    </div>
                    <div class="field">
                        <label for="send-tracking">"Tracking number (optional)"</label>
                        <input id="send-tracking" name="tracking_number" type="text" maxlength="80"/>
                    </div>
                    <p class="form-error" role="alert">{fulfil_error}</p>
                    <button type="submit" class="primary">"Fulfil these units"</button>
                </ActionForm>
            })}
            {shipments}
        </section>
        <section class="staff-notes" aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Internal notes"</h2>
            <ul class="notes">{notes}</ul>
            <ActionForm action=note attr:class="stack-form">
                <input type="hidden" name="id" value=id_note/>
                <div class="field">
                    <label for="note-body">"Add a note (staff only)"</label>
                    <textarea id="note-body" name="body" rows="3" maxlength="4000" required=true></textarea>
                </div>
                <p class="form-error" role="alert">{note_error}</p>
                <button type="submit" class="secondary">"Add note"</button>
            </ActionForm>
        </section>
    }
}
