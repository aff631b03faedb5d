use super::ProductSummary;
use leptos::prelude::*;

/// A product in a grid: title (a link to its page), brand and price.
#[component]
pub fn ProductCard(product: ProductSummary) -> impl IntoView {
    let href = format!("/products/{}", product.slug);
    view! {
        <li class="product-card">
            <a href=href class="product-link">
                <span class="product-swatch" aria-hidden="true">{product.title.chars().next().unwrap_or('·').to_string()}</span>
                <span class="product-title">{product.title}</span>
            </a>
            <span class="product-brand">{product.brand}</span>
            <span class="product-price">{product.price.to_string()}</span>
        </li>
    }
}
