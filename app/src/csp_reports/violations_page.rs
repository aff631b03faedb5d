use super::list_violations;
use crate::ui::{admin_error, when};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/security`: what browsers blocked under the shop's Content-Security-Policy. An
/// inline script or a foreign address here is either an attack (injected markup) or a change
/// of ours the policy does not allow yet.
#[component]
pub fn ViolationsPage() -> impl IntoView {
    let groups = Resource::new(|| (), |_| list_violations());
    view! {
        <Title text="Security reports"/>
        <section class="page">
            <h1>"Security reports"</h1>
            <p>"What browsers blocked under the shop's Content-Security-Policy in the last 30 days, most recent first. Addresses of visitors are not kept."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match groups.await {
                        Ok(list) if list.is_empty() => view! { <p>"Nothing was blocked."</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="data-table">
                                <caption class="visually-hidden">"Blocked content, most recent first"</caption>
                                <thead><tr>
                                    <th scope="col">"Rule"</th>
                                    <th scope="col">"Blocked"</th>
                                    <th scope="col">"Page"</th>
                                    <th scope="col">"Sample"</th>
                                    <th scope="col" class="num">"Times"</th>
                                    <th scope="col">"Last seen"</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|g| view! {
                                        <tr>
                                            <td><code>{g.directive}</code></td>
                                            <td class="wrap">{g.blocked}</td>
                                            <td class="wrap">{g.page}</td>
                                            <td class="wrap"><code>{g.sample}</code></td>
                                            <td class="num">{g.count}</td>
                                            <td>{when(g.last_seen)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}
