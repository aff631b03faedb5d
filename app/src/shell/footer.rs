use super::StoreInfoResource;
use crate::marketing::NewsletterSignup;
use leptos::prelude::*;

/// The site footer: newsletter sign-up, contact and the legal line.
#[component]
pub fn Footer() -> impl IntoView {
    let StoreInfoResource(store) = expect_context();
    view! {
        <footer class="site-footer">
            <div class="footer-inner">
                <NewsletterSignup/>
                <section aria-labelledby="contact-heading">
                    <h2 id="contact-heading">"Contact"</h2>
                    <Suspense>
                        {move || Suspend::new(async move {
                            match store.await.ok().and_then(|s| s.support_email) {
                                Some(email) => {
                                    let href = format!("mailto:{email}");
                                    view! { <p><a href=href>{email}</a></p> }.into_any()
                                }
                                None => view! { <p>"Write to us from your account page."</p> }.into_any(),
                            }
                        })}
                    </Suspense>
                    <p><a href=shop_types::paths::SELL>"Sell with us"</a></p>
                </section>
            </div>
            <p class="legal">
                <Suspense>
                    {move || Suspend::new(async move {
                        let name = store.await.map(|s| s.name).unwrap_or_default();
                        format!("© {name}. Prices include VAT where it applies.")
                    })}
                </Suspense>
            </p>
        </footer>
    }
}
