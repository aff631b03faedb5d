use super::{ProductDetail, get_product};
use crate::account::{ToggleFavourite, favourite_label};
use crate::shell::{ErrorPage, NotFound, StoreInfoResource};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;
use shop_types::AppError;

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

#[component]
fn ProductDetails(
    product: ProductDetail,
    toggle: ServerAction<ToggleFavourite>,
    base_url: String,
) -> impl IntoView {
    let canonical = format!("{base_url}/products/{}", product.summary.slug);
    let structured = structured_data(&product, &canonical, &base_url);
    let ProductDetail {
        summary,
        description,
        category,
        variants,
        favourite,
    } = product;
    let meta = description.lines().next().unwrap_or_default().to_owned();
    let paragraphs = description
        .split("\n\n")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p>{p}</p> })
        .collect_view();
    let crumbs = category.map(|(slug, name)| {
        let href = format!("/categories/{slug}");
        view! { <li><a href=href>{name}</a></li> }
    });
    let rows = variants
        .into_iter()
        .map(|v| {
            let was = v
                .compare_at
                .map(|c| view! { " " <s aria-label=format!("was {c}")>{c.to_string()}</s> });
            view! {
                <tr>
                    <th scope="row">{v.title}</th>
                    <td>{v.price.to_string()}{was}</td>
                    <td>{if v.in_stock { "In stock" } else { "Sold out" }}</td>
                    <td class="sku">{v.sku}</td>
                </tr>
            }
        })
        .collect_view();
    let error = move || {
        toggle.value().with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().err())
                .map(|e| e.to_string())
        })
    };
    let title = summary.title.clone();
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=meta.clone()/>
        <Link rel="canonical" href=canonical.clone()/>
        <Meta property="og:type" content="product"/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=meta/>
        <Meta property="og:url" content=canonical/>
        <Meta name="twitter:card" content="summary"/>
        // Data for search engines (JSON-LD is not executed, so the CSP does not apply).
        <script type="application/ld+json" inner_html=structured></script>
        <nav aria-label="Breadcrumb">
            <ol class="breadcrumbs">
                <li><a href="/">"Home"</a></li>
                {crumbs}
                <li aria-current="page">{title.clone()}</li>
            </ol>
        </nav>
        <article class="product">
            <h1>{title}</h1>
            <p class="product-brand">{summary.brand}</p>
            <p class="product-price">"From " {summary.price.to_string()}</p>
            <ActionForm action=toggle attr:class="inline-form">
                <input type="hidden" name="product_id" value=summary.id/>
                <input type="hidden" name="save" value=if favourite { "false" } else { "true" }/>
                <button type="submit" class="secondary" aria-pressed=if favourite { "true" } else { "false" }>
                    {favourite_label(favourite)}
                </button>
            </ActionForm>
            <p class="form-error" role="alert">{error}</p>
            <div class="product-description">{paragraphs}</div>
            <table class="variants">
                <caption>"Options and availability"</caption>
                <thead><tr><th scope="col">"Option"</th><th scope="col">"Price"</th><th scope="col">"Availability"</th><th scope="col">"SKU"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </article>
    }
}

/// schema.org Product (with one Offer per variant) and BreadcrumbList, as JSON-LD. `</` is
/// escaped so no product text can end the script element.
fn structured_data(product: &ProductDetail, canonical: &str, base_url: &str) -> String {
    let offers: Vec<serde_json::Value> = product
        .variants
        .iter()
        .map(|v| {
            serde_json::json!({
                "@type": "Offer",
                "sku": v.sku,
                "price": v.price.to_decimal_string(),
                "priceCurrency": v.price.currency.code(),
                "availability": if v.in_stock { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
                "url": canonical,
            })
        })
        .collect();
    let mut crumbs = vec![
        serde_json::json!({"@type": "ListItem", "position": 1, "name": "Home", "item": format!("{base_url}/")}),
    ];
    if let Some((slug, name)) = &product.category {
        crumbs.push(serde_json::json!({"@type": "ListItem", "position": 2, "name": name, "item": format!("{base_url}/categories/{slug}")}));
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
            "offers": offers,
        },
        {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": crumbs},
    ]);
    data.to_string().replace("</", "<\\/")
}
