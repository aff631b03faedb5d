use super::NotFound;
use super::favourites::{ToggleFavourite, favourite_label};
use super::{ProductDetail, ProductImage, VariantView, get_product, image_url};
use crate::store::StoreInfoResource;
use crate::ui::ErrorPage;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shop_types::AppError;

/// What the product page offers to buy the chosen variant with. The cart provides it (the
/// route table puts `cart::AddToCartForm` into the context), so the catalog does not import
/// the cart, which builds on the catalog.
#[derive(Clone)]
pub struct BuyBox(pub std::sync::Arc<dyn Fn(BuyInput) -> AnyView + Send + Sync>);

/// The chosen variant, as the buy box sees it.
pub struct BuyInput {
    pub variant_id: Signal<Option<String>>,
    pub sold_out: Signal<bool>,
    /// The unit price shown (a change kept offline can then tell if it changed).
    pub price: Signal<Option<shop_types::Money>>,
}

/// `/products/:slug`.
#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let StoreInfoResource(store) = expect_context();
    let toggle = ServerAction::<ToggleFavourite>::new();
    let product = Resource::new(
        move || {
            (
                params.with(|p| p.get("slug").unwrap_or_default()),
                toggle.version().get(),
            )
        },
        |(slug, _)| get_product(slug),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let base_url = store.await.map(|s| s.base_url).unwrap_or_default();
                match product.await {
                    Ok(p) => view! { <ProductDetails product=p toggle base_url/> }.into_any(),
                    Err(AppError::NotFound { .. }) => view! { <NotFound/> }.into_any(),
                    Err(e) => {
                        let errors = ArcRwSignal::new(Errors::default());
                        errors.update(|list| list.insert_with_default_key(e));
                        view! { <ErrorPage errors/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Which variant the page shows: the `variant` query value if it names one, else the first in
/// stock, else the first.
fn chosen_variant(variants: &[VariantView], wanted: Option<&str>) -> Option<usize> {
    wanted
        .and_then(|id| variants.iter().position(|v| v.id == id))
        .or_else(|| variants.iter().position(|v| v.in_stock))
        .or(if variants.is_empty() { None } else { Some(0) })
}

fn availability(v: &VariantView) -> String {
    match v.stock {
        s if s <= 0 => "Sold out".to_owned(),
        s if s <= 5 => format!("Only {s} left"),
        _ => "In stock".to_owned(),
    }
}

#[component]
fn ProductDetails(
    product: ProductDetail,
    toggle: ServerAction<ToggleFavourite>,
    base_url: String,
) -> impl IntoView {
    let BuyBox(buy) = expect_context::<BuyBox>();
    let canonical = format!("{base_url}/products/{}", product.summary.slug);
    let structured = structured_data(&product, &canonical, &base_url);
    let og_image = product
        .images
        .first()
        .map(|i| format!("{base_url}{}", image_url(i, 960)));
    let ProductDetail {
        summary,
        description,
        description_html,
        breadcrumbs,
        option_names,
        variants,
        images,
        attributes,
        tags,
        favourite,
    } = product;
    let seller = summary.seller.clone();
    let seen = summary.clone();
    Effect::new(move |_| crate::pwa::remember_products(vec![seen.clone()]));
    let meta = description
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .chars()
        .take(160)
        .collect::<String>();
    let query = use_query_map();
    let variants = StoredValue::new(variants);
    let chosen = Memo::new(move |_| {
        let wanted = query.with(|q| q.get("variant"));
        variants.with_value(|v| chosen_variant(v, wanted.as_deref()))
    });
    let crumbs = breadcrumbs
        .into_iter()
        .map(|(slug, name)| {
            let href = format!("/categories/{slug}");
            view! { <li><a href=href>{name}</a></li> }
        })
        .collect_view();
    let navigate = use_navigate();
    let slug = summary.slug.clone();
    let picker_label = if option_names.is_empty() {
        "Option".to_owned()
    } else {
        option_names.join(" / ")
    };
    let radios = variants.with_value(|list| {
        list.iter()
            .enumerate()
            .map(|(i, v)| {
                let id = format!("variant-{i}");
                let label = if v.options.is_empty() { v.title.clone() } else { v.options.join(" / ") };
                let status = availability(v);
                let value = v.id.clone();
                let navigate = navigate.clone();
                let slug = slug.clone();
                view! {
                    <div class="variant-choice" class:sold-out=!v.in_stock>
                        <input
                            type="radio"
                            name="variant"
                            id=id.clone()
                            value=value.clone()
                            checked=move || chosen.get() == Some(i)
                            on:change=move |_| {
                                navigate(
                                    &format!("/products/{slug}?variant={value}"),
                                    NavigateOptions { replace: true, scroll: false, ..Default::default() },
                                );
                            }
                        />
                        <label for=id>
                            <span class="variant-name">{label}</span>
                            <span class="variant-status">{status}</span>
                        </label>
                    </div>
                }
            })
            .collect_view()
    });
    let show_picker = variants.with_value(|v| v.len() > 1);
    let selected = move || {
        chosen.get().and_then(|i| variants.with_value(|v| v.get(i).cloned())).map(|v| {
            let was = v.compare_at.map(|c| {
                view! { " " <s class="was-price"><span class="visually-hidden">"was "</span>{c.to_string()}</s> }
            });
            let status = availability(&v);
            view! {
                <p class="product-price">{v.price.to_string()}{was}</p>
                <p class="availability" class:sold-out=!v.in_stock>{status}</p>
                <p class="sku">"SKU " {v.sku}</p>
            }
        })
    };
    let gallery = (!images.is_empty()).then(|| {
        let count = images.len();
        let slides = images
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, image)| {
                view! {
                    <li id=format!("image-{}", i + 1)>
                        <ProductImage image sizes="(min-width: 60rem) 32rem, 100vw" eager=i == 0/>
                    </li>
                }
            })
            .collect_view();
        let thumbs = (count > 1).then(|| {
            images
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, image)| {
                    let label = format!("Picture {} of {count}", i + 1);
                    view! {
                        <li>
                            <a href=format!("#image-{}", i + 1) aria-label=label>
                                <img src=image_url(&image, 320) width="64" height="64" alt="" loading="lazy"/>
                            </a>
                        </li>
                    }
                })
                .collect_view()
        });
        view! {
            <section class="gallery" aria-label="Pictures">
                <ul class="gallery-slides" tabindex="0" aria-label="Pictures: scroll sideways for more">{slides}</ul>
                {thumbs.map(|t| view! { <ul class="gallery-thumbs">{t}</ul> })}
            </section>
        }
        .into_any()
    });
    let facts = (!attributes.is_empty()).then(|| {
        view! {
            <dl class="product-facts">
                {attributes
                    .into_iter()
                    .map(|(name, value)| view! { <dt>{name}</dt><dd>{value}</dd> })
                    .collect_view()}
            </dl>
        }
    });
    let tag_list = (!tags.is_empty()).then(|| {
        view! {
            <ul class="tags" aria-label="Tags">
                {tags.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
            </ul>
        }
    });
    let error = move || {
        toggle.value().with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().err())
                .map(|e| e.to_string())
        })
    };
    let title = summary.title.clone();
    let form_action = format!("/products/{}", summary.slug);
    let head = view! {
        <Title text=title.clone()/>
        <Meta name="description" content=meta.clone()/>
        <Link rel="canonical" href=canonical.clone()/>
        <Meta property="og:type" content="product"/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=meta/>
        <Meta property="og:url" content=canonical/>
        {og_image.map(|src| view! { <Meta property="og:image" content=src/> })}
        <Meta name="twitter:card" content="summary_large_image"/>
        // Data for search engines (JSON-LD is not executed, so the CSP does not apply).
        <script type="application/ld+json" inner_html=structured></script>
    }
    .into_any();
    let info = view! {
            <div class="product-info">
                <h1>{title.clone()}</h1>
                <p class="product-brand">{summary.brand}</p>
                {seller.map(|s| view! { <p class="product-seller">"Sold by "<a href=shop_types::paths::seller_page(&s.slug)>{s.name}</a></p> })}
                <div class="selected-variant" aria-live="polite">{selected}</div>
                {show_picker.then(|| view! {
                    <form class="variant-picker" method="get" action=form_action>
                        <fieldset>
                            <legend>{picker_label}</legend>
                            {radios}
                        </fieldset>
                        <button type="submit" class="secondary no-js-only">"Show this option"</button>
                    </form>
                }.into_any())}
                {buy(BuyInput {
                    variant_id: Signal::derive(move || chosen.get().and_then(|i| variants.with_value(|v| v.get(i).map(|v| v.id.clone())))),
                    sold_out: Signal::derive(move || chosen.get().and_then(|i| variants.with_value(|v| v.get(i).map(|v| !v.in_stock))).unwrap_or(true)),
                    price: Signal::derive(move || chosen.get().and_then(|i| variants.with_value(|v| v.get(i).map(|v| v.price)))),
                })}
                <ActionForm action=toggle attr:class="inline-form">
                    <input type="hidden" name="product_id" value=summary.id/>
                    <input type="hidden" name="save" value=if favourite { "false" } else { "true" }/>
                    <button type="submit" class="secondary" aria-pressed=if favourite { "true" } else { "false" }>
                        {favourite_label(favourite)}
                    </button>
                </ActionForm>
                <p class="form-error" role="alert">{error}</p>
                <div class="product-description" inner_html=description_html></div>
                {facts.map(IntoAny::into_any)}
                {tag_list.map(IntoAny::into_any)}
            </div>
    }
    .into_any();
    let trail = view! {
        <nav aria-label="Breadcrumb">
            <ol class="breadcrumbs">
                <li><a href="/">"Home"</a></li>
                {crumbs}
                <li aria-current="page">{title.clone()}</li>
            </ol>
        </nav>
    }
    .into_any();
    view! {
        {head}
        {trail}
        <article class="product">
            {gallery}
            {info}
        </article>
    }
}

/// schema.org Product (with one Offer per variant) and BreadcrumbList, as JSON-LD, escaped
/// with `json_for_script` so no product text can end or change the script element.
fn structured_data(product: &ProductDetail, canonical: &str, base_url: &str) -> String {
    let offers: Vec<serde_json::Value> = product
        .variants
        .iter()
        .map(|v| {
            let mut offer = serde_json::json!({
                "@type": "Offer",
                "sku": v.sku,
                "price": v.price.to_decimal_string(),
                "priceCurrency": v.price.currency.code(),
                "availability": if v.in_stock { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
                "url": canonical,
            });
            // A marketplace seller's offer names it (the shop's own offers need no seller).
            if let Some(seller) = &product.summary.seller {
                offer["seller"] = serde_json::json!({
                    "@type": "Organization",
                    "name": seller.name,
                    "url": format!("{base_url}{}", shop_types::paths::seller_page(&seller.slug)),
                });
            }
            offer
        })
        .collect();
    let mut crumbs = vec![
        serde_json::json!({"@type": "ListItem", "position": 1, "name": "Home", "item": format!("{base_url}/")}),
    ];
    for (slug, name) in &product.breadcrumbs {
        crumbs.push(serde_json::json!({"@type": "ListItem", "position": crumbs.len() + 1, "name": name, "item": format!("{base_url}/categories/{slug}")}));
    }
    crumbs.push(serde_json::json!({"@type": "ListItem", "position": crumbs.len() + 1, "name": product.summary.title, "item": canonical}));
    let data = serde_json::json!([
        {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": product.summary.title,
            "description": product.description,
            "brand": {"@type": "Brand", "name": product.summary.brand},
            "url": canonical,
            "image": product.images.iter().map(|i| format!("{base_url}{}", super::image_url(i, 960))).collect::<Vec<_>>(),
            "sku": product.variants.first().map(|v| v.sku.clone()),
            "offers": offers,
        },
        {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": crumbs},
    ]);
    shop_types::html::json_for_script(&data.to_string())
}
