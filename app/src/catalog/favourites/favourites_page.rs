use super::list_favourites;
use crate::catalog::ProductCard;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shop_types::AppError;

/// `/account/favourites`.
#[component]
pub fn FavouritesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_favourites());
    view! {
        <Title text="Your favourites"/>
        <section class="page">
            <p><a href="/account">"← Your account"</a></p>
            <h1>"Your favourites"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p>"Nothing saved yet. Use “Save to favourites” on a product."</p> }.into_any(),
                        Ok(items) => {
                            // Favourites stay readable offline: the worker keeps their pages.
                            let urls: Vec<String> = items.iter().map(|p| format!("/products/{}", p.slug)).collect();
                            let seen = items.clone();
                            Effect::new(move |_| {
                                crate::pwa::remember_products(seen.clone());
                                crate::pwa::save_for_offline(urls.clone());
                            });
                            view! { <ul class="product-grid">{items.into_iter().map(|p| view! { <ProductCard product=p/> }).collect_view()}</ul> }.into_any()
                        }
                        Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in"/> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
