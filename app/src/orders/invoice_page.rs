use super::get_order;
use super::order_page::PostalAddress;
use crate::ui::when;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/orders/<id>/invoice`: the printable invoice of a paid order, numbered in one gapless
/// sequence per store.
#[component]
pub fn InvoicePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let order = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                query.with(|q| q.get("key")),
            )
        },
        |(id, key)| get_order(id, key),
    );
    view! {
        <Title text="Invoice"/>
        <section class="page invoice">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(o) => match o.invoice_number {
                            None => view! { <h1>"Invoice"</h1><p>"The invoice is issued when the order is paid."</p> }.into_any(),
                            Some(n) => {
                                let a = o.billing.clone().unwrap_or_else(|| o.address.clone());
                                view! {
                                    <header class="invoice-head">
                                        <h1>"Invoice " {n}</h1>
                                        <p><strong>{o.store_name.clone()}</strong></p>
                                        <p>"Order " {o.number} " · placed " {when(o.placed_at)}</p>
                                    </header>
                                    <section aria-label="Billed to">
                                        <h2>"Billed to"</h2>
                                        <PostalAddress address=a/>
                                    </section>
                                    <table class="order-lines">
                                        <caption>"Items"</caption>
                                        <thead><tr><th scope="col">"Item"</th><th scope="col">"SKU"</th><th scope="col" class="num">"Qty"</th><th scope="col" class="num">"Unit"</th><th scope="col" class="num">"Amount"</th></tr></thead>
                                        <tbody>
                                            {o.lines.iter().map(|l| view! {
                                                <tr><td>{l.title.clone()} " " {l.variant.clone()}</td><td>{l.sku.clone()}</td>
                                                    <td class="num">{l.quantity}</td><td class="num">{l.unit_price.to_string()}</td><td class="num">{l.line_total.to_string()}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <dl class="totals">
                                        <div><dt>"Subtotal"</dt><dd>{o.subtotal.to_string()}</dd></div>
                                        <div><dt>"Discount"</dt><dd>"−" {o.discount.to_string()}</dd></div>
                                        <div><dt>"Shipping"</dt><dd>{o.shipping.to_string()}</dd></div>
                                        <div><dt>{if o.prices_include_tax { format!("Including {}", o.tax_label) } else { o.tax_label.clone() }}</dt><dd>{o.tax.to_string()}</dd></div>
                                        <div class="grand-total"><dt>"Total"</dt><dd>{o.total.to_string()}</dd></div>
                                    </dl>
                                    <p class="hint">"Paid by " {o.payment_method.label()} "."</p>
                                }.into_any()
                            }
                        },
                        Err(e) => view! { <h1>"Invoice"</h1><p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
