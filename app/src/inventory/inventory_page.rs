use super::views::{Level, Movement, REASONS, StockItem, StockRow};
use super::{AdjustStock, get_stock_item, list_stock};
use crate::ui::when;
use crate::ui::{admin_error, next_page};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/admin/inventory`: every variant's stock by SKU, searchable, with the low ones on request.
#[component]
pub fn InventoryPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k)).filter(|s| !s.is_empty());
    let stock = Resource::new(
        move || (get("q"), get("low"), get("after")),
        |(q, l, a)| list_stock(q, l, a),
    );
    view! {
        <Title text="Inventory"/>
        <section class="page">
            <h1>"Inventory"</h1>
            <form method="get" action="/admin/inventory" class="filter-form">
                <div class="field">
                    <label for="stock-q">"SKU or product"</label>
                    <input id="stock-q" name="q" type="search" maxlength="100" value=move || get("q").unwrap_or_default()/>
                </div>
                <div class="field">
                    <label for="stock-low">"Only with at most this many units"</label>
                    <input id="stock-low" name="low" type="number" min="0" value=move || get("low").unwrap_or_default()/>
                </div>
                <button type="submit" class="secondary">"Show"</button>
            </form>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match stock.await {
                        Ok(page) if page.rows.is_empty() => view! { <p>"Nothing matches."</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next.map(|c| query.with(|q| next_page("/admin/inventory", q, &["q", "low"], c)));
                            view! {
                                <StockTable rows=page.rows link=|id: &str| format!("/admin/inventory/{id}")/>
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

/// `/admin/inventory/<variant>`: a variant's stock per location, the adjustment form and the
/// history of every change.
#[component]
pub fn StockItemPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let adjust = ServerAction::<AdjustStock>::new();
    let item = Resource::new(
        move || (id.get(), adjust.version().get()),
        |(id, _)| get_stock_item(id),
    );
    view! {
        <Title text="Stock"/>
        <section class="page">
            <p><a href="/admin/inventory">"Inventory"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match item.await {
                        Ok(item) => view! { <StockItemView item adjust/> }.into_any(),
                        Err(e) => view! { <h1>"Stock"</h1> {admin_error(e)} }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn StockItemView(item: StockItem, adjust: ServerAction<AdjustStock>) -> impl IntoView {
    let error = move || {
        adjust.value().with(|v| match v {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    };
    let done = move || {
        adjust.value().with(|v| match v {
            Some(Ok(n)) => Some(format!("Saved. {n} can be sold now.")),
            _ => None,
        })
    };
    let r = item.row.clone();
    view! {
        <h1>{r.title.clone()} " – " {r.variant.clone()}</h1>
        <p>"SKU " {r.sku.clone()} ". " <strong>{r.sellable}</strong> " can be sold now. "
            <a href=format!("/admin/products/{}", r.product_id)>"Edit the product"</a></p>
        <table class="data-table">
            <caption>"On hand per location"</caption>
            <thead><tr><th scope="col">"Location"</th><th scope="col" class="num">"On hand"</th></tr></thead>
            <tbody>
                {item.locations.iter().map(|l| view! { <tr><td>{l.location.clone()}</td><td class="num">{l.on_hand}</td></tr> }).collect_view()}
            </tbody>
        </table>
        <h2>"Adjust"</h2>
        <ActionForm action=adjust attr:class="stack-form">
            <input type="hidden" name="variant_id" value=r.variant_id.clone()/>
            <AdjustFields locations=item.locations.clone()/>
            <p class="form-error" role="alert">{error}</p>
            <p class="form-success" role="status">{done}</p>
            <button type="submit" class="primary">"Save adjustment"</button>
        </ActionForm>
        <h2>"History"</h2>
        <MovementTable movements=item.movements.clone() order_link=|o: &str| Some(format!("/admin/orders/{o}"))/>
    }
}

/// Stock by SKU: one row per variant, its SKU linking to `link(variant id)`.
#[component]
pub fn StockTable(rows: Vec<StockRow>, link: fn(&str) -> String) -> impl IntoView {
    view! {
                                <table class="data-table">
                                    <caption class="visually-hidden">"Stock by SKU"</caption>
                                    <thead><tr><th scope="col">"SKU"</th><th scope="col">"Item"</th><th scope="col" class="num">"Sellable"</th><th scope="col">"On hand"</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td><a href=link(&r.variant_id)>{r.sku}</a></td>
                                                <td>{r.title} " – " {r.variant}</td>
                                                <td class="num">{r.sellable}</td>
                                                <td>{r.levels.iter().map(|l| format!("{}: {}", l.location, l.on_hand)).collect::<Vec<_>>().join(", ")}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
    }
}

/// The fields of a stock change (location, add/remove/set, units, reason, note), for the
/// console's form and a seller's.
#[component]
pub fn AdjustFields(locations: Vec<Level>) -> impl IntoView {
    view! {
            <div class="field-row">
                <div class="field">
                    <label for="adj-location">"Location"</label>
                    <select id="adj-location" name="location_id">
                        {locations.iter().map(|l| view! { <option value=l.location_id.clone()>{l.location.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="adj-mode">"Change"</label>
                    <select id="adj-mode" name="mode">
                        <option value="add">"Add units"</option>
                        <option value="remove">"Remove units"</option>
                        <option value="set">"Set the count to"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="adj-quantity">"Units"</label>
                    <input id="adj-quantity" name="quantity" type="number" min="0" max="1000000" required=true inputmode="numeric"/>
                </div>
            </div>
            <div class="field">
                <label for="adj-reason">"Reason"</label>
                <select id="adj-reason" name="reason">
                    {REASONS.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="adj-note">"Note (optional)"</label>
                <input id="adj-note" name="note" type="text" maxlength="500"/>
            </div>
    }
}

/// A variant's stock history, newest first; an order's line links to `order_link(order id)`
/// when the reader may open it.
#[component]
pub fn MovementTable(
    movements: Vec<Movement>,
    order_link: fn(&str) -> Option<String>,
) -> impl IntoView {
    view! {
        {if movements.is_empty() {
            view! { <p>"No changes yet."</p> }.into_any()
        } else {
            view! {
                <table class="data-table">
                    <caption class="visually-hidden">"Stock changes, newest first"</caption>
                    <thead><tr><th scope="col">"When"</th><th scope="col" class="num">"Change"</th><th scope="col">"Reason"</th><th scope="col">"Location"</th><th scope="col">"By"</th><th scope="col">"Note"</th></tr></thead>
                    <tbody>
                        {movements.iter().map(|m| {
                            let delta = if m.delta > 0 { format!("+{}", m.delta) } else { m.delta.to_string() };
                            let note = match &m.order_id {
                                Some(o) => match order_link(o) {
                                    Some(href) => view! { <a href=href>"Order"</a> " " {m.note.clone()} }.into_any(),
                                    None => view! { "Order " {m.note.clone()} }.into_any(),
                                },
                                None => view! { {m.note.clone()} }.into_any(),
                            };
                            view! {
                                <tr><td>{when(m.at)}</td><td class="num">{delta}</td><td>{m.reason.clone()}</td><td>{m.location.clone()}</td><td>{m.actor.clone()}</td><td>{note}</td></tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
