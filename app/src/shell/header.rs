use crate::cart::CartCount;
use crate::search::SearchBox;
use crate::store::StoreInfoResource;
use leptos::prelude::*;

/// The site header: store name, search, account and cart links.
#[component]
pub fn Header() -> impl IntoView {
    let StoreInfoResource(store) = expect_context();
    let CartCount(count) = expect_context();
    // The badge's words stay in the link's text (for screen readers), so its accessible name
    // contains what is seen ("Cart 2").
    let units = move || match count.get() {
        1 => " item".to_owned(),
        _ => " items".to_owned(),
    };

    view! {
        <header class="site-header">
            <div class="header-inner">
                <a class="brand" href="/">
                    <Suspense fallback=|| "Shop">
                        {move || Suspend::new(async move {
                            let (name, logo) = store
                                .await
                                .map(|s| (s.name, s.logo_key))
                                .unwrap_or_else(|_| ("Shop".to_owned(), None));
                            // The name follows as text, so the logo itself is decoration.
                            let logo = logo.map(|key| view! {
                                <img class="brand-logo" src=format!("/media/{key}/320.webp") alt="" height="32" width="32"/>
                            });
                            view! { {logo} {name} }
                        })}
                    </Suspense>
                </a>
                <SearchBox id="header-search"/>
                <nav class="header-nav" aria-label="Account and cart">
                    <a href="/account">"Account"</a>
                    <a href="/cart">
                        "Cart"
                        <Show when=move || { count.get() > 0 }>
                            " "
                            <span class="badge">{move || count.get()}</span>
                            <span class="visually-hidden">{units}</span>
                        </Show>
                    </a>
                </nav>
            </div>
        </header>
    }
}
