use crate::catalog::{ProductCard, list_categories, list_new_arrivals};
use crate::shell::StoreInfoResource;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The storefront's front door.
#[component]
pub fn HomePage() -> impl IntoView {
    let StoreInfoResource(store) = expect_context();
    let arrivals = Resource::new(|| (), |_| list_new_arrivals());
    let departments = Resource::new(|| (), |_| list_categories());
    view! {
        <Title text=""/>
        <Meta name="description" content="Shop online: browse, save favourites and order, on any device."/>
        <section class="hero" aria-labelledby="home-heading">
            <h1 id="home-heading">
                <Suspense fallback=|| "Welcome">
                    {move || Suspend::new(async move {
                        let name = store.await.map(|s| s.name).unwrap_or_else(|_| "our shop".to_owned());
                        format!("Welcome to {name}")
                    })}
                </Suspense>
            </h1>
            <p class="lead">"Everyday things, well made. Delivered to your door."</p>
        </section>
        <section aria-labelledby="departments-heading">
            <h2 id="departments-heading">"Shop by category"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    departments.await.unwrap_or_default().into_iter().map(|d| {
                        let heading_id = format!("dept-{}", d.slug);
                        let labelled = heading_id.clone();
                        let links = d.categories.into_iter().map(|(slug, name)| {
                            let href = format!("/categories/{slug}");
                            view! { <li><a href=href>{name}</a></li> }
                        }).collect_view();
                        view! {
                            <nav class="department" aria-labelledby=labelled>
                                <h3 id=heading_id>{d.name}</h3>
                                <ul>{links}</ul>
                            </nav>
                        }
                    }).collect_view()
                })}
            </Suspense>
        </section>
        <section aria-labelledby="new-heading">
            <h2 id="new-heading">"New arrivals"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match arrivals.await {
                        Ok(list) if list.is_empty() => view! { <p>"New products are on their way."</p> }.into_any(),
                        Ok(list) => view! { <ul class="product-grid">{list.into_iter().map(|p| view! { <ProductCard product=p/> }).collect_view()}</ul> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
