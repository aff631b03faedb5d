use super::views::CustomerDetail;
use super::{SetCustomerDisabled, get_customer, list_customers};
use crate::settings::ResetTwoStep;
use crate::ui::{FormError, error_for, when};
use crate::ui::{admin_error, next_page};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/admin/customers`: customer accounts, newest first, searchable by e-mail.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k)).filter(|s| !s.is_empty());
    let list = Resource::new(
        move || (get("q"), get("after")),
        |(q, a)| list_customers(q, a),
    );
    view! {
        <Title text="Customers"/>
        <section class="page">
            <h1>"Customers"</h1>
            <form method="get" action="/admin/customers" class="filter-form">
                <div class="field">
                    <label for="customer-q">"E-mail address"</label>
                    <input id="customer-q" name="q" type="search" maxlength="200" value=move || get("q").unwrap_or_default()/>
                </div>
                <button type="submit" class="secondary">"Show"</button>
            </form>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(page) if page.rows.is_empty() => view! { <p>"No customers."</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next.map(|c| query.with(|q| next_page("/admin/customers", q, &["q"], c)));
                            view! {
                                <table class="data-table">
                                    <caption class="visually-hidden">"Customers, newest first"</caption>
                                    <thead><tr><th scope="col">"E-mail"</th><th scope="col">"Name"</th><th scope="col">"Joined"</th><th scope="col" class="num">"Orders"</th><th scope="col">"Account"</th></tr></thead>
                                    <tbody>
                                        {page.rows.into_iter().map(|c| view! {
                                            <tr>
                                                <td><a href=format!("/admin/customers/{}", c.id)>{c.email}</a></td>
                                                <td>{c.name}</td>
                                                <td>{when(c.joined)}</td>
                                                <td class="num">{c.orders}</td>
                                                <td>{if c.disabled { "Disabled" } else { "Active" }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                {next.map(|href| view! { <p><a href=href rel="next">"Next page"</a></p> })}
                            }.into_any()
                        }
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/admin/customers/<id>`: one customer, their orders and addresses; disable or enable.
#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let toggle = ServerAction::<SetCustomerDisabled>::new();
    let reset = ServerAction::<ResetTwoStep>::new();
    let customer = Resource::new(
        move || (id.get(), toggle.version().get(), reset.version().get()),
        |(id, _, _)| get_customer(id),
    );
    view! {
        <Title text="Customer"/>
        <section class="page">
            <p><a href="/admin/customers">"All customers"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match customer.await {
                        Ok(c) => view! { <Customer c toggle reset/> }.into_any(),
                        Err(e) => view! { <h1>"Customer"</h1> {admin_error(e)} }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Customer(
    c: CustomerDetail,
    toggle: ServerAction<SetCustomerDisabled>,
    reset: ServerAction<ResetTwoStep>,
) -> impl IntoView {
    let row = c.row.clone();
    let reset_id = row.id.clone();
    let reset_error = Signal::derive(move || reset.value().with(|v| error_for(v, "")));
    let query = use_query_map();
    let saved = move || {
        query
            .with(|q| q.get("saved").as_deref() == Some("two-step"))
            .then_some("Two-step sign-in was reset: the customer's sessions ended, and they can sign in with their password alone.")
    };
    let passkeys = match c.passkeys {
        0 => "None".to_owned(),
        1 => "1 passkey".to_owned(),
        n => format!("{n} passkeys"),
    };
    let (label, value) = if row.disabled {
        ("Enable the account", "false")
    } else {
        ("Disable the account", "true")
    };
    view! {
        <h1>{row.email.clone()}</h1>
        <dl class="facts">
            <dt>"Name"</dt><dd>{if row.name.is_empty() { "–".to_owned() } else { row.name.clone() }}</dd>
            <dt>"Joined"</dt><dd>{when(row.joined)}</dd>
            <dt>"E-mail confirmed"</dt><dd>{if c.verified { "Yes" } else { "No" }}</dd>
            <dt>"Newsletter"</dt><dd>{if c.newsletter { "Subscribed" } else { "Not subscribed" }}</dd>
            <dt>"Account"</dt><dd>{if row.disabled { "Disabled: cannot sign in" } else { "Active" }}</dd>
            <dt>"Two-step sign-in"</dt><dd>{if c.two_step { "On" } else { "Off" }}</dd>
            <dt>"Passkeys"</dt><dd>{passkeys}</dd>
        </dl>
        <p>
            <a href=format!("{}?id={}", shop_types::paths::CUSTOMER_DATA_EXPORT, row.id) download>
                "Download this customer's data (JSON)"
            </a>
            " for a request under the GDPR (the download is logged)."
        </p>
        <p class="form-success" role="status">{saved}</p>
        <FormError error=reset_error/>
        {c.two_step.then(|| view! {
            // Admins only (the server checks): for a customer who lost both phone and codes.
            <ActionForm action=reset attr:class="inline-form">
                <input type="hidden" name="id" value=reset_id/>
                <button type="submit" class="secondary">"Reset two-step sign-in"</button>
            </ActionForm>
        })}
        <ActionForm action=toggle attr:class="inline-form">
            <input type="hidden" name="id" value=row.id.clone()/>
            <input type="hidden" name="disabled" value=value/>
            <button type="submit" class="secondary">{label}</button>
        </ActionForm>
        <h2>"Orders"</h2>
        {if c.orders.is_empty() {
            view! { <p>"No orders."</p> }.into_any()
        } else {
            view! {
                <table class="data-table">
                    <caption class="visually-hidden">"Orders of this customer, newest first"</caption>
                    <thead><tr><th scope="col">"Order"</th><th scope="col">"Placed"</th><th scope="col">"Status"</th><th scope="col" class="num">"Total"</th></tr></thead>
                    <tbody>
                        {c.orders.into_iter().map(|o| view! {
                            <tr><td><a href=format!("/admin/orders/{}", o.id)>"Order " {o.number}</a></td><td>{when(o.placed_at)}</td><td>{o.status.label()}</td><td class="num">{o.total.to_string()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2>"Addresses"</h2>
        {if c.addresses.is_empty() {
            view! { <p>"No saved addresses."</p> }.into_any()
        } else {
            view! {
                <ul class="address-list">
                    {c.addresses.into_iter().map(|a| view! {
                        <li><address>{a.full_name} <br/> {a.line1} <br/> {a.postal_code} " " {a.city} <br/> {a.country}</address></li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
