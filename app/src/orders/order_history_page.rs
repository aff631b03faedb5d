use super::list_my_orders;
use crate::ui::when;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/account/orders`: the signed-in customer's orders.
#[component]
pub fn OrderHistoryPage() -> impl IntoView {
    let orders = Resource::new(|| (), |_| list_my_orders(None));
    view! {
        <Title text="Your orders"/>
        <section class="page">
            <h1>"Your orders"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match orders.await {
                        Ok(list) if list.is_empty() => view! { <p>"You have not ordered anything yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="order-list">
                                <caption class="visually-hidden">"Your orders, newest first"</caption>
                                <thead><tr><th scope="col">"Order"</th><th scope="col">"Placed"</th><th scope="col">"Status"</th><th scope="col" class="num">"Items"</th><th scope="col" class="num">"Total"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|o| view! {
                                        <tr>
                                            <td><a href=format!("/orders/{}", o.id)>"Order " {o.number}</a></td>
                                            <td>{when(o.placed_at)}</td>
                                            <td>{o.status.label()}</td>
                                            <td class="num">{o.units}</td>
                                            <td class="num">{o.total.to_string()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(shop_types::AppError::Unauthorized) => view! {
                            <p>"Please " <a href="/account/sign-in">"sign in"</a> " to see your orders."</p>
                        }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
