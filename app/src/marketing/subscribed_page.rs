use leptos::prelude::*;
use leptos_meta::Title;

/// Where a newsletter sign-up lands when it was posted without JavaScript.
#[component]
pub fn SubscribedPage() -> impl IntoView {
    view! {
        <Title text="Subscribed"/>
        <section class="page narrow">
            <h1>"Thank you! You are subscribed to our newsletter."</h1>
            <p>"You can unsubscribe at any time from the link in every newsletter."</p>
            <p><a href="/">"Continue shopping"</a></p>
        </section>
    }
}
