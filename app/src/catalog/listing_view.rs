use super::{Filters, Listing, ProductCard, Scope, Sort};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// The URL of a listing with `page`, keeping its search text, sort and filters.
pub fn page_link(scope: &Scope, sort: Sort, filters: &Filters, page: u32) -> String {
    let mut url = format!("{}?", scope.base_url());
    if let Scope::Search { query } = scope {
        url.push_str(&format!("q={}&", encode(query)));
    }
    url.push_str(&format!("sort={}&page={page}", sort.as_str()));
    for brand in &filters.brands {
        url.push_str(&format!("&brand={}", encode(brand)));
    }
    for seller in &filters.sellers {
        url.push_str(&format!("&seller={}", encode(seller)));
    }
    for (name, value) in &filters.options {
        url.push_str(&format!("&f={}", encode(&format!("{name}:{value}"))));
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
pub fn encode(value: &str) -> String {
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

/// One checkbox per value of a filter (`name` in the URL): (value, label, checked).
fn choice_boxes(name: &'static str, choices: Vec<(String, String, bool)>) -> impl IntoView {
    choices
        .into_iter()
        .enumerate()
        .map(|(i, (value, label, checked))| {
            let id = format!("{name}-{i}");
            view! {
                <div class="checkbox">
                    <input type="checkbox" id=id.clone() name=name value=value checked=checked/>
                    <label for=id>{label}</label>
                </div>
            }
        })
        .collect_view()
}

/// A seller's storefront above its products: banner, logo, what it says of itself and its
/// returns policy (plain text as written, paragraphs kept).
fn seller_intro(front: &super::SellerFront) -> impl IntoView + use<> {
    let paragraphs = |text: &str| {
        text.split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| view! { <p>{p.to_owned()}</p> })
            .collect_view()
    };
    let picture = |image: &Option<super::ImageRef>, class: &'static str, sizes: &'static str| {
        image.clone().map(|image| {
            view! { <div class=class><super::ProductImage image sizes eager=true/></div> }
        })
    };
    let policy = (!front.returns_policy.trim().is_empty()).then(|| {
        view! {
            <details class="seller-policy">
                <summary>"Returns policy"</summary>
                {paragraphs(&front.returns_policy)}
            </details>
        }
    });
    view! {
        {picture(&front.banner, "seller-banner", "100vw")}
        <div class="seller-intro">
            {picture(&front.logo, "seller-logo", "6rem")}
            <div class="listing-intro">{paragraphs(&front.description)}</div>
        </div>
        {policy}
    }
}

/// A category, collection or search page: heading, the filter form (a plain GET form, so
/// every view has a URL and works without JavaScript), the products and the pages.
#[component]
pub fn ListingView(listing: Listing) -> impl IntoView {
    let Listing {
        scope,
        products,
        total,
        page,
        pages,
        sort,
        filters,
        facets,
    } = listing;
    let base = scope.base_url();
    let searching = matches!(scope, Scope::Search { .. });
    // The worker keeps these summaries so offline search can find them.
    let seen = products.clone();
    Effect::new(move |_| crate::pwa::remember_products(seen.clone()));
    let sorts: &[Sort] = if searching {
        &[
            Sort::Relevance,
            Sort::BestSelling,
            Sort::Newest,
            Sort::PriceAsc,
            Sort::PriceDesc,
        ]
    } else {
        &[
            Sort::BestSelling,
            Sort::Newest,
            Sort::PriceAsc,
            Sort::PriceDesc,
        ]
    };
    let options = sorts
        .iter()
        .map(|&s| view! { <option value=s.as_str() selected=s == sort>{s.label()}</option> })
        .collect_view();
    let brand_boxes = choice_boxes(
        "brand",
        facets
            .brands
            .into_iter()
            .map(|(brand, count)| {
                let checked = filters.brands.contains(&brand);
                (brand.clone(), format!("{brand} ({count})"), checked)
            })
            .collect(),
    );
    // Only where marketplace sellers' products are among the matches: a shop that sells
    // alone shows no seller filter.
    let seller_boxes =
        (!facets.sellers.is_empty() && !matches!(scope, Scope::Seller(_))).then(|| {
            let boxes = choice_boxes(
                "seller",
                facets
                    .sellers
                    .into_iter()
                    .map(|(seller, count)| {
                        let checked = filters.sellers.contains(&seller.slug);
                        (seller.slug, format!("{} ({count})", seller.name), checked)
                    })
                    .collect(),
            );
            view! { <fieldset><legend>"Seller"</legend>{boxes}</fieldset> }
        });
    let option_groups = facets
        .options
        .into_iter()
        .enumerate()
        .map(|(g, group)| {
            let boxes = group
                .values
                .into_iter()
                .enumerate()
                .map(|(i, (value, count))| {
                    let id = format!("opt-{g}-{i}");
                    let checked = filters.options.contains(&(group.name.clone(), value.clone()));
                    let label = format!("{value} ({count})");
                    let submitted = format!("{}:{value}", group.name);
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=id.clone() name="f" value=submitted checked=checked/>
                            <label for=id>{label}</label>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <fieldset>
                    <legend>{group.name}</legend>
                    {boxes}
                </fieldset>
            }
        })
        .collect_view();
    let prev = (page > 1).then(|| {
        view! { <a rel="prev" href=page_link(&scope, sort, &filters, page - 1)>"Previous page"</a> }
    });
    let next = (page < pages).then(|| {
        view! { <a rel="next" href=page_link(&scope, sort, &filters, page + 1)>"Next page"</a> }
    });
    let decimal = |m: Option<i64>| {
        m.map(|m| format!("{}", m as f64 / 100.0))
            .unwrap_or_default()
    };
    let (min, max) = (decimal(filters.min_price), decimal(filters.max_price));
    let (min_hint, max_hint) = facets
        .price_range
        .map(|(lo, hi)| (lo.to_decimal_string(), hi.to_decimal_string()))
        .unwrap_or_default();
    let in_stock_label = format!("In stock only ({})", facets.in_stock);
    let heading = scope.heading();
    let empty = products.is_empty();
    let query_field = match &scope {
        Scope::Search { query } => {
            Some(view! { <input type="hidden" name="q" value=query.clone()/> })
        }
        _ => None,
    };
    let intro = match &scope {
        Scope::Collection { description, .. } if !description.is_empty() => {
            Some(view! { <p class="listing-intro">{description.clone()}</p> }.into_any())
        }
        Scope::Seller(front) => Some(seller_intro(front).into_any()),
        _ => None,
    };
    let trail = match &scope {
        Scope::Category { parents, .. } if !parents.is_empty() => Some(view! {
            <nav aria-label="Breadcrumb" class="breadcrumbs">
                <ol>
                    <li><a href="/">"Home"</a></li>
                    {parents
                        .iter()
                        .map(|(slug, name)| view! { <li><a href=format!("/categories/{slug}")>{name.clone()}</a></li> })
                        .collect_view()}
                    <li aria-current="page">{heading.clone()}</li>
                </ol>
            </nav>
        }),
        _ => None,
    };
    let empty_text = if searching {
        "No products match your search. Check the spelling or try fewer words."
    } else {
        "No products match these filters."
    };
    // Search results and filtered views are not pages of their own for crawlers.
    let default_sort = match &scope {
        Scope::Collection { .. } | Scope::Seller(_) => Sort::BestSelling,
        Scope::Search { .. } => Sort::Relevance,
        Scope::Category { .. } => Sort::Newest,
    };
    let robots = (searching || filters != Filters::default() || sort != default_sort)
        .then(|| view! { <Meta name="robots" content="noindex, follow"/> });
    let canonical = (!searching).then(|| {
        let href = if page > 1 {
            format!("{base}?page={page}")
        } else {
            base.clone()
        };
        view! { <Link rel="canonical" href=href/> }
    });
    let form_action = base.clone();
    view! {
        <Title text=heading.clone()/>
        {robots}
        {canonical}
        {trail}
        <h1>{heading}</h1>
        {intro}
        <p class="listing-count" role="status">{format!("{total} products · page {page} of {pages}")}</p>
        <div class="listing">
            <form class="filters" method="get" action=form_action aria-label="Filter and sort">
                {query_field}
                <div class="field">
                    <label for="sort">"Sort by"</label>
                    <select id="sort" name="sort">{options}</select>
                </div>
                <fieldset>
                    <legend>"Brand"</legend>
                    {brand_boxes}
                </fieldset>
                {seller_boxes}
                {option_groups}
                <fieldset>
                    <legend>"Price"</legend>
                    <div class="price-range">
                        <div class="field">
                            <label for="min-price">"From"</label>
                            <input id="min-price" name="min" type="number" min="0" step="0.01" inputmode="decimal" value=min placeholder=min_hint/>
                        </div>
                        <div class="field">
                            <label for="max-price">"To"</label>
                            <input id="max-price" name="max" type="number" min="0" step="0.01" inputmode="decimal" value=max placeholder=max_hint/>
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
                {empty.then(|| view! { <p>{empty_text}</p> })}
                <ul class="product-grid">
                    {products
                        .into_iter()
                        .enumerate()
                        .map(|(i, p)| view! { <ProductCard product=p eager=i < 4/> })
                        .collect_view()}
                </ul>
                <nav class="pagination" aria-label="Pages">{prev}{next}</nav>
                {(!searching).then(|| view! { <crate::pwa::SaveForOfflineButton/> })}
            </div>
        </div>
    }
}
