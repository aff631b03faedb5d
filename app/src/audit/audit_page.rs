use super::list_audit;
use crate::ui::when;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The filters the page's form and its links carry.
const FILTERS: [&str; 5] = ["action", "who", "subject", "from", "to"];

/// `/admin/audit`: who did what, when and from where, newest first, with the values before and
/// after each change; filtered by a plain GET form, 50 a page, downloadable as CSV.
#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k)).filter(|s| !s.is_empty());
    let params = Memo::new(move |_| {
        (
            get("action"),
            get("who"),
            get("subject"),
            get("from"),
            get("to"),
            get("after"),
        )
    });
    let rows = Resource::new(
        move || params.get(),
        |(a, w, s, f, t, c)| list_audit(a, w, s, f, t, c),
    );
    let next_link = move |cursor: String| {
        query.with(|q| crate::ui::next_page("/admin/audit", q, &FILTERS, cursor))
    };
    let export_link = move || {
        let pairs: Vec<(String, String)> = FILTERS
            .iter()
            .filter_map(|k| get(k).map(|v| ((*k).to_owned(), v)))
            .collect();
        format!(
            "/admin/export/audit.csv?{}",
            crate::ui::query_string(&pairs)
        )
    };
    let field = move |id: &'static str,
                      name: &'static str,
                      label: &'static str,
                      kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=name type=kind maxlength="200" value=move || get(name).unwrap_or_default()/>
            </div>
        }
    };
    view! {
        <Title text="Audit log"/>
        <section class="page">
            <h1>"Audit log"</h1>
            <p>"Every staff action and security event, in the order it happened. Entries are never changed or removed; "
               <code>"server audit verify"</code>" checks that nobody did so in the database."</p>
            <form method="get" action="/admin/audit" class="filter-form">
                {field("audit-action", "action", "Action (e.g. product. or product.saved)", "search")}
                {field("audit-who", "who", "Who (start of the e-mail)", "search")}
                {field("audit-subject", "subject", "Subject (e.g. product or order:<id>)", "search")}
                {field("audit-from", "from", "From", "date")}
                {field("audit-to", "to", "Until", "date")}
                <button type="submit" class="secondary">"Show"</button>
            </form>
            <p><a href=export_link download="audit.csv">"Download these entries as CSV"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(page) if page.rows.is_empty() => view! { <p>"No entries."</p> }.into_any(),
                        Ok(page) => view! {
                            <table class="data-table audit-log">
                                <caption class="visually-hidden">"Audit log entries, newest first"</caption>
                                <thead><tr>
                                    <th scope="col" class="num">"#"</th>
                                    <th scope="col">"When"</th>
                                    <th scope="col">"Who"</th>
                                    <th scope="col">"Action"</th>
                                    <th scope="col">"Subject"</th>
                                    <th scope="col">"Before"</th>
                                    <th scope="col">"After"</th>
                                </tr></thead>
                                <tbody>
                                    {page.rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td class="num">{r.seq}</td>
                                            <td>{when(r.at)}</td>
                                            <td class="wrap">{r.who}
                                                {(!r.ip.is_empty()).then(|| view! { <br/><small>{r.ip}</small> })}
                                                {(!r.request_id.is_empty()).then(|| view! { <br/><small>"request " {r.request_id}</small> })}
                                            </td>
                                            <td><code>{r.action}</code></td>
                                            <td class="wrap"><code>{r.subject}</code></td>
                                            <td class="wrap"><code>{r.before}</code></td>
                                            <td class="wrap"><code>{r.after}</code></td>
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
