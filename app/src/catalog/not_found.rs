use crate::search::SearchBox;
use leptos::prelude::*;
use leptos_meta::Title;

/// The page for any URL we do not know. Answers with HTTP 404 and offers a search.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found"/>
        <section class="page narrow not-found">
            <h1>"We could not find that page"</h1>
            <p>"The link may be old, or the page may have moved. Try a search instead:"</p>
            <SearchBox id="not-found-search"/>
            <p><a href="/">"Go to the home page"</a></p>
        </section>
    }
}
