use super::{ProductDetail, get_product};
use crate::account::{ToggleFavourite, favourite_label};
use crate::shell::{ErrorPage, NotFound};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use shop_types::AppError;

/// `/products/:slug`.
#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
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
                match product.await {
                    Ok(p) => view! { <ProductDetails product=p toggle/> }.into_any(),
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
fn ProductDetails(product: ProductDetail, toggle: ServerAction<ToggleFavourite>) -> impl IntoView {
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
        <Meta name="description" content=meta/>
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
