use super::SubscribeNewsletter;
use leptos::prelude::*;
use leptos_router::hooks::use_url;

/// The newsletter sign-up in the footer. A plain form, so it works before (or without) the
/// WebAssembly; once hydrated it submits in place and shows the answer without a reload.
#[component]
pub fn NewsletterSignup() -> impl IntoView {
    // After a failed plain form post the error comes back in the URL. <Routes> makes it
    // available to actions created inside routed pages; this form sits in the footer, outside
    // them, so it reads the URL itself.
    use_url().read_untracked().provide_server_action_error();
    let action = ServerAction::<SubscribeNewsletter>::new();
    let result = action.value();
    let error = move || result.get().and_then(|r| r.err()).map(|e| e.to_string());
    let succeeded = move || matches!(result.get(), Some(Ok(())));

    view! {
        <section class="newsletter" aria-labelledby="newsletter-heading">
            <h2 id="newsletter-heading">"Get our newsletter"</h2>
            <p id="newsletter-hint">"New arrivals and offers, at most once a week. Unsubscribe at any time."</p>
            <ActionForm action=action attr:class="newsletter-form">
                <label for="newsletter-email">"E-mail address"</label>
                <div class="field-row">
                    <input
                        id="newsletter-email"
                        type="email"
                        name="email"
                        autocomplete="email"
                        required
                        maxlength="254"
                        aria-describedby="newsletter-hint newsletter-error"
                        aria-invalid=move || error().is_some().then_some("true")
                    />
                    <button type="submit" disabled=move || action.pending().get()>"Subscribe"</button>
                </div>
            </ActionForm>
            <p id="newsletter-error" class="form-error" role="alert">{error}</p>
            <p class="form-success" role="status">
                {move || succeeded().then_some("Thank you! You are subscribed to our newsletter.")}
            </p>
        </section>
    }
}
