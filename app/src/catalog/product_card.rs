use super::{ProductImage, ProductSummary};
use leptos::prelude::*;

/// A product in a grid: picture, title (a link to its page, search matches marked), brand and
/// price (with the old price when reduced). `eager` for cards above the fold.
#[component]
pub fn ProductCard(product: ProductSummary, #[prop(optional)] eager: bool) -> impl IntoView {
    let href = format!("/products/{}", product.slug);
    let picture = match product.image {
        Some(image) => view! {
            <ProductImage image sizes="(min-width: 60rem) 15rem, (min-width: 40rem) 30vw, 45vw" eager/>
        }
        .into_any(),
        None => view! {
            <span class="product-swatch" aria-hidden="true">{product.title.chars().next().unwrap_or('·').to_string()}</span>
        }
        .into_any(),
    };
    let title = match product.highlighted {
        Some(runs) => runs
            .into_iter()
            .map(|r| {
                if r.hit {
                    view! { <mark>{r.text}</mark> }.into_any()
                } else {
                    r.text.into_any()
                }
            })
            .collect_view()
            .into_any(),
        None => product.title.into_any(),
    };
    let was = product.compare_at.map(|c| {
        view! { " " <s class="was-price"><span class="visually-hidden">"was "</span>{c.to_string()}</s> }
    });
    view! {
        <li class="product-card">
            <a href=href class="product-link">
                {picture}
                <span class="product-title">{title}</span>
            </a>
            <span class="product-brand">{product.brand}</span>
            {product.seller.map(|s| view! { <span class="product-seller">"Sold by "{s.name}</span> })}
            <span class="product-price"><span class="price-now">{product.price.to_string()}</span>{was}</span>
        </li>
    }
}
