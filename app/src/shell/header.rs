use super::StoreInfoResource;
use crate::search::SearchBox;
use leptos::prelude::*;

/// Units in the shopper's cart, shown on the header's cart link. The cart feature keeps it
/// current; an empty cart shows no badge.
#[derive(Clone, Copy, Default)]
pub struct CartCount(pub RwSignal<u32>);

/// The site header: store name, search, account and cart links.
#[component]
pub fn Header() -> impl IntoView {
    let StoreInfoResource(store) = expect_context();
    let CartCount(count) = expect_context();
    let cart_label = move || match count.get() {
        0 => "Cart, empty".to_owned(),
        1 => "Cart, 1 item".to_owned(),
        n => format!("Cart, {n} items"),
    };

    view! {
        <header class="site-header">
            <div class="header-inner">
                <a class="brand" href="/">
                    <Suspense fallback=|| "Shop">
                        {move || Suspend::new(async move {
                            store.await.map(|s| s.name).unwrap_or_else(|_| "Shop".to_owned())
                        })}
                    </Suspense>
                </a>
                <SearchBox id="header-search"/>
                <nav class="header-nav" aria-label="Account and cart">
                    <a href="/account">"Account"</a>
                    <a href="/cart" aria-label=cart_label>
                        "Cart"
                        <Show when=move || { count.get() > 0 }>
                            <span class="badge" aria-hidden="true">{move || count.get()}</span>
                        </Show>
                    </a>
                </nav>
            </div>
        </header>
    }
}
