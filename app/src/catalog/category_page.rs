use super::{CategoryListing, Filters, ProductCard, Sort, get_category};
use crate::shell::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shop_types::AppError;

/// `/categories/:slug?sort=&page=&brand=&in_stock=&min=&max=`: a plain GET form sets the order
/// and filters, so every view has its own URL, can be shared and crawled, and works without
/// JavaScript.
#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let listing = Resource::new(
        move || {
            let q = query.get();
            (
                params.with(|p| p.get("slug").unwrap_or_default()),
                q.get("sort"),
                q.get("page"),
                q.get_all("brand").unwrap_or_default(),
                q.get("in_stock"),
                q.get("min"),
                q.get("max"),
            )
        },
        |(slug, sort, page, brand, in_stock, min, max)| {
            get_category(slug, sort, page, brand, in_stock, min, max)
        },
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

/// The URL of this listing with `page`, keeping sort and filters.
fn page_link(base: &str, sort: Sort, filters: &Filters, page: u32) -> String {
    let mut url = format!("{base}?sort={}&page={page}", sort.as_str());
    for brand in &filters.brands {
        url.push_str("&brand=");
        url.push_str(&encode(brand));
    }
    if filters.in_stock {
        url.push_str("&in_stock=1");
    }
    if let Some(min) = filters.min_price {
        url.push_str(&format!("&min={}", min as f64 / 100.0));
    }
    if let Some(max) = filters.max_price {
        url.push_str(&format!("&max={}", max as f64 / 100.0));
    }
    url
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
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
        filters,
        facets,
    } = listing;
    let base = format!("/categories/{slug}");
    let options = [Sort::Newest, Sort::PriceAsc, Sort::PriceDesc]
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=s == sort>{s.label()}</option> })
        .collect_view();
    let brand_boxes = facets
        .brands
        .into_iter()
        .enumerate()
        .map(|(i, (brand, count))| {
            let id = format!("brand-{i}");
            let checked = filters.brands.contains(&brand);
            let label = format!("{brand} ({count})");
            view! {
                <div class="checkbox">
                    <input type="checkbox" id=id.clone() name="brand" value=brand checked=checked/>
                    <label for=id>{label}</label>
                </div>
            }
        })
        .collect_view();
    let prev = (page > 1).then(|| view! { <a rel="prev" href=page_link(&base, sort, &filters, page - 1)>"Previous page"</a> });
    let next = (page < pages).then(
        || view! { <a rel="next" href=page_link(&base, sort, &filters, page + 1)>"Next page"</a> },
    );
    let min = filters
        .min_price
        .map(|m| format!("{}", m as f64 / 100.0))
        .unwrap_or_default();
    let max = filters
        .max_price
        .map(|m| format!("{}", m as f64 / 100.0))
        .unwrap_or_default();
    let in_stock_label = format!("In stock only ({})", facets.in_stock);
    let heading = name.clone();
    let empty = products.is_empty();
    let form_action = base.clone();
    view! {
        <Title text=name/>
        <h1>{heading}</h1>
        <p class="listing-count" role="status">{format!("{total} products · page {page} of {pages}")}</p>
        <div class="listing">
            <form class="filters" method="get" action=form_action aria-label="Filter and sort">
                <div class="field">
                    <label for="sort">"Sort by"</label>
                    <select id="sort" name="sort">{options}</select>
                </div>
                <fieldset>
                    <legend>"Brand"</legend>
                    {brand_boxes}
                </fieldset>
                <fieldset>
                    <legend>"Price"</legend>
                    <div class="price-range">
                        <div class="field">
                            <label for="min-price">"From"</label>
                            <input id="min-price" name="min" type="number" min="0" step="0.01" inputmode="decimal" value=min/>
                        </div>
                        <div class="field">
                            <label for="max-price">"To"</label>
                            <input id="max-price" name="max" type="number" min="0" step="0.01" inputmode="decimal" value=max/>
                        </div>
                    </div>
                </fieldset>
                <div class="checkbox">
                    <input type="checkbox" id="in-stock" name="in_stock" value="1" checked=filters.in_stock/>
                    <label for="in-stock">{in_stock_label}</label>
                </div>
                <button type="submit">"Apply"</button>
                <a href=base class="clear-filters">"Clear filters"</a>
            </form>
            <div class="results">
                {empty.then(|| view! { <p>"No products match these filters."</p> })}
                <ul class="product-grid">{products.into_iter().map(|p| view! { <ProductCard product=p/> }).collect_view()}</ul>
                <nav class="pagination" aria-label="Pages">{prev}{next}</nav>
            </div>
        </div>
    }
}
