use super::editor_views::STATUSES;
use super::{BulkUpdateProducts, list_admin_products};
use crate::ui::error_for;
use crate::ui::{admin_error, next_page};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin/products`: every product, most recently changed first, with search, filters and
/// bulk changes (publish, draft, archive, price by a percentage).
#[component]
pub fn AdminProductsPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k)).filter(|s| !s.is_empty());
    let bulk = ServerAction::<BulkUpdateProducts>::new();
    let products = Resource::new(
        move || {
            (
                get("q"),
                get("status"),
                get("category"),
                get("after"),
                bulk.version().get(),
            )
        },
        |(q, s, c, a, _)| list_admin_products(q, s, c, a),
    );
    let status_options = move || {
        let current = get("status").unwrap_or_default();
        crate::ui::filter_options(
            &current,
            "Any status",
            STATUSES.iter().map(|(v, l)| (*v, *l)),
        )
    };
    let bulk_error = move || bulk.value().with(|v| error_for(v, ""));
    let bulk_done = move || {
        bulk.value()
            .with(|v| match v {
                Some(Ok(n)) => Some(format!("{n} products changed.")),
                _ => None,
            })
            .or_else(|| get("changed").map(|n| format!("{n} products changed.")))
    };
    view! {
        <Title text="Products"/>
        <section class="page">
            <div class="page-heading">
                <h1>"Products"</h1>
                <a class="button primary" href="/admin/products/new">"Add a product"</a>
            </div>
            <form method="get" action="/admin/products" class="filter-form">
                <div class="field">
                    <label for="product-q">"Title or SKU"</label>
                    <input id="product-q" name="q" type="search" maxlength="200" value=move || get("q").unwrap_or_default()/>
                </div>
                <div class="field">
                    <label for="product-status">"Status"</label>
                    <select id="product-status" name="status">{status_options}</select>
                </div>
                <button type="submit" class="secondary">"Show"</button>
            </form>
            <p role="status" class="form-success">{bulk_done}</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match products.await {
                        Ok(page) if page.rows.is_empty() => view! { <p>"No products."</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next.map(|c| query.with(|q| next_page("/admin/products", q, &["q", "status", "category"], c)));
                            view! {
                                <ActionForm action=bulk attr:class="bulk-form">
                                    <fieldset class="bulk-actions">
                                        <legend>"With the selected products"</legend>
                                        <div class="field">
                                            <label for="bulk-action">"Action"</label>
                                            <select id="bulk-action" name="action">
                                                <option value="publish">"Publish"</option>
                                                <option value="draft">"Make draft"</option>
                                                <option value="archive">"Archive"</option>
                                                <option value="price">"Change prices by a percentage"</option>
                                                <option value="stock">"Set stock at the first location"</option>
                                            </select>
                                        </div>
                                        <div class="field">
                                            <label for="bulk-percent">"Percentage (for prices, e.g. -10)"</label>
                                            <input id="bulk-percent" name="percent" type="text" inputmode="decimal" maxlength="8"/>
                                        </div>
                                        <div class="field">
                                            <label for="bulk-units">"Units (for stock)"</label>
                                            <input id="bulk-units" name="units" type="number" min="0" max="1000000" inputmode="numeric"/>
                                        </div>
                                        <button type="submit" class="secondary">"Apply"</button>
                                        <p class="form-error" role="alert">{bulk_error}</p>
                                    </fieldset>
                                    <table class="data-table product-table">
                                        <caption class="visually-hidden">"Products, most recently changed first"</caption>
                                        <thead><tr>
                                            <th scope="col"><span class="visually-hidden">"Select"</span></th>
                                            <th scope="col">"Product"</th><th scope="col">"Status"</th>
                                            <th scope="col" class="num">"Variants"</th><th scope="col" class="num">"In stock"</th>
                                            <th scope="col" class="num">"From"</th>
                                        </tr></thead>
                                        <tbody>
                                            {page.rows.into_iter().enumerate().map(|(n, p)| {
                                                let check_id = format!("select-{}", p.id);
                                                view! {
                                                    <tr>
                                                        <td><input type="checkbox" name=format!("ids[{n}]") value=p.id.clone() id=check_id.clone()
                                                            aria-label=format!("Select {}", p.title)/></td>
                                                        <td><a href=format!("/admin/products/{}", p.id)>{p.title}</a></td>
                                                        <td>{p.status}</td>
                                                        <td class="num">{p.variants}</td>
                                                        <td class="num">{p.stock}</td>
                                                        <td class="num">{p.price.to_string()}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </ActionForm>
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
