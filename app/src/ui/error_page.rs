use leptos::prelude::*;
use leptos_meta::Title;

/// Shown in place of a page that failed. Every message it shows comes from an `AppError`, whose
/// texts are written for shoppers; internal details never reach this page.
#[component]
pub fn ErrorPage(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let messages = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, e)| view! { <li>{e.to_string()}</li> })
            .collect_view()
    };
    view! {
        <Title text="Something went wrong"/>
        <section class="page narrow" role="alert">
            <h1>"Sorry, this page could not be shown"</h1>
            <ul>{messages}</ul>
            <p><a href="/">"Go to the home page"</a></p>
        </section>
    }
}
