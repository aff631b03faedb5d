use leptos::prelude::*;

/// Longest search query we accept; longer input is cut by the browser and refused by the server.
pub const MAX_QUERY_LEN: usize = 200;

/// A product search box: a plain GET form, so it works without JavaScript and the results URL
/// can be shared. `id` keeps labels unique when a page shows more than one.
#[component]
pub fn SearchForm(
    #[prop(into)] id: String,
    #[prop(optional, into)] value: String,
) -> impl IntoView {
    let input_id = format!("{id}-input");
    view! {
        <form class="search-form" role="search" action="/search" method="get" id=id>
            <label for=input_id.clone() class="visually-hidden">"Search products"</label>
            <input
                id=input_id
                type="search"
                name="q"
                value=value
                placeholder="Search products"
                maxlength=MAX_QUERY_LEN.to_string()
                autocomplete="off"
            />
            <button type="submit">"Search"</button>
        </form>
    }
}
