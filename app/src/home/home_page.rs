use crate::shell::StoreInfoResource;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The storefront's front door.
#[component]
pub fn HomePage() -> impl IntoView {
    let StoreInfoResource(store) = expect_context();
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
    }
}
