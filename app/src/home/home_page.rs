use crate::catalog::{ProductCard, ProductSummary, get_showcase, list_categories};
use crate::store::StoreInfoResource;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The storefront's front door.
#[component]
pub fn HomePage() -> impl IntoView {
    let StoreInfoResource(store) = expect_context();
    let showcase = Resource::new(|| (), |_| get_showcase());
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
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match showcase.await {
                    Ok(s) => {
                        let collections = (!s.collections.is_empty()).then(|| view! {
                            <section aria-labelledby="collections-heading">
                                <h2 id="collections-heading">"Collections"</h2>
                                <ul class="collections">
                                    {s.collections.into_iter().map(|c| view! {
                                        <li>
                                            <a href=format!("/collections/{}", c.slug)>
                                                <strong>{c.title}</strong>
                                                <span>{c.description}</span>
                                            </a>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        });
                        view! {
                            {collections}
                            <ProductSection id="best-heading" heading="Best sellers" products=s.best_sellers eager=true/>
                            <ProductSection id="new-heading" heading="New arrivals" products=s.new_arrivals eager=false/>
                        }
                        .into_any()
                    }
                    Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A headed grid of products; says so when there are none yet.
#[component]
fn ProductSection(
    id: &'static str,
    heading: &'static str,
    products: Vec<ProductSummary>,
    eager: bool,
) -> impl IntoView {
    let empty = products.is_empty();
    view! {
        <section aria-labelledby=id>
            <h2 id=id>{heading}</h2>
            {empty.then(|| view! { <p>"New products are on their way."</p> })}
            <ul class="product-grid">
                {products
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| view! { <ProductCard product=p eager=eager && i < 2/> })
                    .collect_view()}
            </ul>
        </section>
    }
}
