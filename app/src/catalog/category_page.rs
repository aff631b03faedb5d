use super::{CategoryListing, ProductCard, Sort, get_category};
use crate::shell::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shop_types::AppError;

/// `/categories/:slug?sort=...&page=...`: a plain GET form changes the order, so every view
/// has its own URL and works without JavaScript.
#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let listing = Resource::new(
        move || {
            (
                params.with(|p| p.get("slug").unwrap_or_default()),
                query.with(|q| q.get("sort")),
                query.with(|q| q.get("page")),
            )
        },
        |(slug, sort, page)| get_category(slug, sort, page),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match listing.await {
                    Ok(l) => view! { <Listing listing=l/> }.into_any(),
                    Err(AppError::NotFound { .. }) => view! { <NotFound/> }.into_any(),
                    Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Listing(listing: CategoryListing) -> impl IntoView {
    let CategoryListing {
        slug,
        name,
        products,
        total,
        page,
        pages,
        sort,
    } = listing;
    let base = format!("/categories/{slug}");
    let link = {
        let base = base.clone();
        move |p: u32| format!("{base}?sort={}&page={p}", sort.as_str())
    };
    let options = [Sort::Newest, Sort::PriceAsc, Sort::PriceDesc]
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=s == sort>{s.label()}</option> })
        .collect_view();
    let prev = (page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>"Previous page"</a> });
    let next = (page < pages).then(|| view! { <a rel="next" href=link(page + 1)>"Next page"</a> });
    let heading = name.clone();
    view! {
        <Title text=name/>
        <h1>{heading}</h1>
        <p class="listing-count">{format!("{total} products · page {page} of {pages}")}</p>
        <form class="sort-form" method="get" action=base>
            <label for="sort">"Sort by"</label>
            <select id="sort" name="sort">{options}</select>
            <button type="submit">"Apply"</button>
        </form>
        <ul class="product-grid">{products.into_iter().map(|p| view! { <ProductCard product=p/> }).collect_view()}</ul>
        <nav class="pagination" aria-label="Pages">{prev}{next}</nav>
    }
}
