use super::views::ImportView;
use super::{get_import, list_imports};
use crate::ui::admin_error;
use crate::ui::when;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/admin/import`: upload a Shopify product CSV, download products or orders as CSV, and the
/// latest imports.
#[component]
pub fn ImportPage() -> impl IntoView {
    let query = use_query_map();
    let recent = Resource::new(|| (), |_| list_imports());
    view! {
        <Title text="Import and export"/>
        <section class="page">
            <h1>"Import and export"</h1>
            <h2>"Import products"</h2>
            <p class="hint">"A product CSV in Shopify's format: one row per variant, extra rows for extra pictures. Products are matched by their Handle, variants by SKU. Rows with problems are listed afterwards; the other rows are imported."</p>
            <p class="form-error" role="alert">{move || query.with(|q| q.get("error"))}</p>
            <form method="post" action="/api/admin/import/products" enctype="multipart/form-data" class="stack-form">
                <div class="field">
                    <label for="import-file">"CSV file (up to 50 MB)"</label>
                    <input id="import-file" name="file" type="file" accept=".csv,text/csv" required=true/>
                </div>
                <button type="submit" class="primary">"Import"</button>
            </form>
            <h2>"Export"</h2>
            <ul>
                <li><a href="/admin/export/products.csv" download="products.csv">"All products (Shopify CSV)"</a></li>
                <li><a href="/admin/export/orders.csv" download="orders.csv">"All orders (CSV, one row per order line)"</a></li>
            </ul>
            <h2>"Latest imports"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match recent.await {
                        Ok(list) if list.is_empty() => view! { <p>"No imports yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="import-list">
                                {list.into_iter().map(|i| view! {
                                    <li><a href=format!("/admin/import/{}", i.id)>{i.file_name.clone()}</a>
                                        " – " {when(i.created_at)} " – " {status_label(&i)}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn status_label(i: &ImportView) -> String {
    match i.status.as_str() {
        "queued" => "waiting to start".into(),
        "running" => format!("{} of {} products", i.products_done, i.total_products),
        "failed" => "failed".into(),
        _ => format!(
            "{} created, {} updated, {} rows with problems",
            i.created, i.updated, i.failed_rows
        ),
    }
}

/// `/admin/import/<id>`: an import's progress bar and its per-row error report. It refreshes
/// itself while the import runs (by script, or by a refresh without it).
#[component]
pub fn ImportDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let tick = RwSignal::new(0u32);
    let import = Resource::new(move || (id.get(), tick.get()), |(id, _)| get_import(id));
    // Poll once a second while the import runs.
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                let running = import
                    .get_untracked()
                    .and_then(|r| r.ok())
                    .is_none_or(|i| i.in_progress());
                if running {
                    tick.update(|t| *t += 1);
                }
            },
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <Title text="Import"/>
        <section class="page">
            <p><a href="/admin/import">"Import and export"</a></p>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match import.await {
                        Ok(i) => view! { <ImportReport i/> }.into_any(),
                        Err(e) => view! { <h1>"Import"</h1> {admin_error(e)} }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ImportReport(i: ImportView) -> impl IntoView {
    let running = i.in_progress();
    let rows = i
        .errors
        .iter()
        .map(|e| view! { <tr><td class="num">{e.row}</td><td>{e.handle.clone()}</td><td>{e.problem.to_string()}</td></tr> })
        .collect_view();
    let has_errors = !i.errors.is_empty();
    view! {
        <h1>"Import of " {i.file_name.clone()}</h1>
        {running.then(|| view! { <noscript><meta http-equiv="refresh" content="2"/></noscript> })}
        <div class="field">
            <label for="import-progress">"Progress"</label>
            <progress id="import-progress" max=i.total_products.max(1) value=i.products_done>
                {i.products_done} " of " {i.total_products}
            </progress>
        </div>
        <p role="status">{status_label(&i)} {(!running).then(|| format!(" ({} rows read)", i.total_rows))}</p>
        {has_errors.then(|| view! {
            <h2>"Rows with problems"</h2>
            <table class="data-table">
                <caption class="visually-hidden">"Rows that were not imported, by row number"</caption>
                <thead><tr><th scope="col" class="num">"Row"</th><th scope="col">"Handle"</th><th scope="col">"Problem"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        })}
    }
}
