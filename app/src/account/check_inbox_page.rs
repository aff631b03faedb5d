use leptos::prelude::*;
use leptos_meta::Title;

/// Shown after registering: the next step is in the shopper's inbox.
#[component]
pub fn CheckInboxPage() -> impl IntoView {
    view! {
        <Title text="Check your inbox"/>
        <section class="page narrow">
            <h1>"Check your inbox"</h1>
            <p>"We sent a link to the address you gave. Open it to confirm your address and finish creating your account."</p>
            <p>"No mail after a few minutes? Look in your spam folder, or "<a href="/account/register">"try again"</a>"."</p>
        </section>
    }
}
