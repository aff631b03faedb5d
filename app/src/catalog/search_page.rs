use super::{ListingKind, ListingPage};
use leptos::prelude::*;

/// `/search?q=`: results with the same facets, sorting and pages as a category.
#[component]
pub fn SearchPage() -> impl IntoView {
    view! { <ListingPage kind=ListingKind::Search/> }
}
