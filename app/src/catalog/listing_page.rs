use super::{ListingKind, ListingView, get_listing};
use crate::catalog::NotFound;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shop_types::AppError;

/// A listing page whose slug comes from the route and whose search text, sort, page and
/// filters come from the query (`?q=&sort=&page=&brand=&f=&seller=&in_stock=&min=&max=`): every view
/// has its own URL and works without JavaScript.
#[component]
pub fn ListingPage(kind: ListingKind) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let listing = Resource::new(
        move || {
            let q = query.get();
            (
                params.with(|p| p.get("slug")),
                q.get("q"),
                q.get("sort"),
                q.get("page"),
                q.get_all("brand").unwrap_or_default(),
                q.get_all("f").unwrap_or_default(),
                q.get_all("seller").unwrap_or_default(),
                (q.get("in_stock"), q.get("min"), q.get("max")),
            )
        },
        move |(slug, q, sort, page, brand, f, seller, (in_stock, min, max))| {
            get_listing(
                kind, slug, q, sort, page, brand, f, seller, in_stock, min, max,
            )
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match listing.await {
                    Ok(l) => view! { <ListingView listing=l/> }.into_any(),
                    Err(AppError::NotFound { .. }) => view! { <NotFound/> }.into_any(),
                    Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/categories/:slug`: a department or category with its products.
#[component]
pub fn CategoryPage() -> impl IntoView {
    view! { <ListingPage kind=ListingKind::Category/> }
}

/// `/sellers/:slug`: a marketplace seller's storefront, its products with filters.
#[component]
pub fn SellerPage() -> impl IntoView {
    view! { <ListingPage kind=ListingKind::Seller/> }
}

/// `/collections/:slug`: a curated collection.
#[component]
pub fn CollectionPage() -> impl IntoView {
    view! { <ListingPage kind=ListingKind::Collection/> }
}
