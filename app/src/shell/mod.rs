//! Everything around a page: the HTML document, header, footer, 404 and error pages.

mod footer;
mod header;
mod pages;

pub use footer::Footer;
pub use header::Header;

use crate::cart::CartCount;
use crate::catalog::NotFound;
use crate::store::{StoreInfoResource, get_store_info};
use crate::ui::ErrorPage;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// How every route is rendered on the server: completely, before the first byte is sent.
/// Out-of-order streaming needs a script to move late fragments into place, so it fails
/// without JavaScript; in-order streaming can flush the <head> before a title that depends on
/// data is known. A shop's pages are a few fast queries, so waiting for all of them costs
/// little and gives crawlers and script-less browsers the finished page.
const SSR: SsrMode = SsrMode::Async;

/// Makes text safe for the document title. leptos_meta writes the title into the server-
/// rendered `<title>` without escaping it, so a title containing `</title><script>` (a search
/// for it, or a product name) would end the element. Angle brackets become look-alike
/// quotation marks; an ampersand cannot start markup inside `<title>` and stays.
pub fn title_text(text: &str) -> String {
    text.replace('<', "‹").replace('>', "›")
}

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1f3a5f"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/192.png"/>
                <AutoReload options=options.clone()/>
                // Hydration waits for an idle moment: the server-rendered page (plain forms and
                // links) works at once, and the WebAssembly stays off the path to the first paint.
                <HydrationScripts options defer=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Marks the page as live once the routed page's code has hydrated it: effects run only in the
/// browser, after the view that created them. Called by every page (`pages`), not by the shell:
/// a page's code may arrive in a chunk after the shell is already live, and tests (and styles
/// that need script) must not take the page for ready before then.
pub(crate) fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// The application: shell components around the routed page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Blocking: the <title> and header need the store's name before the first byte is sent.
    let store = Resource::new_blocking(|| (), |_| get_store_info());
    provide_context(StoreInfoResource(store));
    let cart_count = CartCount::default();
    provide_context(cart_count);
    // The header's count: the cart's units alone (no query at all for a guest without a
    // cart), not the priced cart, which every page would otherwise compute and send.
    let cart = Resource::new(|| (), |_| crate::cart::get_cart_units());
    Effect::new(move |_| {
        if let Some(Ok(units)) = cart.get() {
            cart_count.0.set(units);
        }
    });
    // A page the service worker kept may carry an older cart count: ask again once live.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if crate::pwa::client::controlled() {
            cart.refetch();
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/shop.css"/>
        // The bottom of the title stack, set before anything else: while a page is being
        // replaced (its own <Title> gone, the next one's not yet there) the document is titled
        // with the shop's name (the formatter below) instead of nothing.
        <Title text=""/>
        <Suspense>
            {move || Suspend::new(async move {
                let name = store.await.map(|s| s.name).unwrap_or_else(|_| "Shop".to_owned());
                view! { <Title formatter=move |page: String| {
                    let title = if page.is_empty() { name.clone() } else { format!("{page} · {name}") };
                    title_text(&title)
                }/> }
            })}
        </Suspense>
        <Router>
            <a class="skip-link" href="#main">"Skip to main content"</a>
            <Header/>
            <crate::pwa::PwaNotices/>
            <main id="main" tabindex="-1">
                <ErrorBoundary fallback=|errors| view! { <ErrorPage errors/> }>
                    <Routes fallback=|| {
                        mark_hydrated();
                        view! { <NotFound/> }
                    }>
                        <Route path=path!("") view={pages::Page::HomePage} ssr=SSR/>
                        <Route path=path!("/newsletter/subscribed") view={pages::Page::SubscribedPage} ssr=SSR/>
                        <Route path=path!("/account") view={pages::Page::AccountPage} ssr=SSR/>
                        <Route path=path!("/account/addresses") view={pages::Page::AddressesPage} ssr=SSR/>
                        <Route path=path!("/account/favourites") view={pages::Page::FavouritesPage} ssr=SSR/>
                        <Route path=path!("/account/notifications") view={pages::Page::NotificationsPage} ssr=SSR/>
                        <Route path=path!("/products/:slug") view={pages::Page::ProductPage} ssr=SSR/>
                        <Route path=path!("/categories/:slug") view={pages::Page::CategoryPage} ssr=SSR/>
                        <Route path=path!("/collections/:slug") view={pages::Page::CollectionPage} ssr=SSR/>
                        <Route path=path!("/sellers/:slug") view={pages::Page::SellerPage} ssr=SSR/>
                        <Route path=path!("/search") view={pages::Page::SearchPage} ssr=SSR/>
                        <Route path=path!("/cart") view={pages::Page::CartPage} ssr=SSR/>
                        <Route path=path!("/checkout") view={pages::Page::CheckoutPage} ssr=SSR/>
                        <Route path=path!("/orders/:id") view={pages::Page::OrderPage} ssr=SSR/>
                        <Route path=path!("/orders/:id/invoice") view={pages::Page::InvoicePage} ssr=SSR/>
                        <Route path=path!("/account/orders") view={pages::Page::OrderHistoryPage} ssr=SSR/>
                        <Route path=path!("/testpay/:id") view={pages::Page::TestPayPage} ssr=SSR/>
                        <Route path=path!("/testpay/:id/authenticate") view={pages::Page::TestPayAuthenticatePage} ssr=SSR/>
                        <Route path=path!("/account/register") view={pages::Page::RegisterPage} ssr=SSR/>
                        <Route path=path!("/account/check-inbox") view={pages::Page::CheckInboxPage} ssr=SSR/>
                        <Route path=path!("/account/confirm") view={pages::Page::ConfirmEmailPage} ssr=SSR/>
                        <Route path=path!("/account/sign-in") view={pages::Page::SignInPage} ssr=SSR/>
                        <Route path=path!("/account/two-step") view={pages::Page::SecondStepPage} ssr=SSR/>
                        <Route path=path!("/account/two-step/setup") view={pages::Page::TwoStepSetupPage} ssr=SSR/>
                        <Route path=path!("/account/two-step/new-codes") view={pages::Page::NewRecoveryCodesPage} ssr=SSR/>
                        <Route path=path!("/account/forgot") view={pages::Page::ForgotPasswordPage} ssr=SSR/>
                        <Route path=path!("/account/reset-sent") view={pages::Page::ResetSentPage} ssr=SSR/>
                        <Route path=path!("/account/reset") view={pages::Page::ResetPasswordPage} ssr=SSR/>
                        <Route path=path!("/account/secure") view={pages::Page::SecureAccountPage} ssr=SSR/>
                        <Route path=path!("/account/delete") view={pages::Page::DeleteAccountPage} ssr=SSR/>
                        <Route path=path!("/account/deleted") view={pages::Page::AccountDeletedPage} ssr=SSR/>
                        <Route path=path!("/account/confirm-new-email") view={pages::Page::ConfirmNewEmailPage} ssr=SSR/>
                        <Route path=path!("/sell") view={pages::Page::SellPage} ssr=SSR/>
                        <Route path=path!("/vendor") view={pages::Page::VendorDashboardPage} ssr=SSR/>
                        <Route path=path!("/vendor/join") view={pages::Page::JoinVendorPage} ssr=SSR/>
                        <Route path=path!("/vendor/products") view={pages::Page::VendorProductsPage} ssr=SSR/>
                        <Route path=path!("/vendor/products/:id") view={pages::Page::VendorProductPage} ssr=SSR/>
                        <Route path=path!("/vendor/stock") view={pages::Page::VendorStockPage} ssr=SSR/>
                        <Route path=path!("/vendor/stock/:id") view={pages::Page::VendorStockItemPage} ssr=SSR/>
                        <ParentRoute path=path!("/admin") view={pages::Page::AdminLayout} ssr=SSR>
                            <Route path=path!("") view={pages::Page::DashboardPage} ssr=SSR/>
                            <Route path=path!("mailbox") view={pages::Page::MailboxPage} ssr=SSR/>
                            <Route path=path!("security") view={pages::Page::ViolationsPage} ssr=SSR/>
                            <Route path=path!("audit") view={pages::Page::AuditPage} ssr=SSR/>
                            <Route path=path!("search") view={pages::Page::SynonymsPage} ssr=SSR/>
                            <Route path=path!("orders") view={pages::Page::AdminOrdersPage} ssr=SSR/>
                            <Route path=path!("orders/:id") view={pages::Page::AdminOrderPage} ssr=SSR/>
                            <Route path=path!("risk") view={pages::Page::RiskReviewPage} ssr=SSR/>
                            <Route path=path!("privacy") view={pages::Page::PrivacyRequestsPage} ssr=SSR/>
                            <Route path=path!("vendors") view={pages::Page::VendorsPage} ssr=SSR/>
                            <Route path=path!("vendors/:id") view={pages::Page::VendorReviewPage} ssr=SSR/>
                            <Route path=path!("products") view={pages::Page::AdminProductsPage} ssr=SSR/>
                            <Route path=path!("products/:id") view={pages::Page::ProductEditorPage} ssr=SSR/>
                            <Route path=path!("categories") view={pages::Page::CategoriesPage} ssr=SSR/>
                            <Route path=path!("collections") view={pages::Page::CollectionsPage} ssr=SSR/>
                            <Route path=path!("inventory") view={pages::Page::InventoryPage} ssr=SSR/>
                            <Route path=path!("inventory/:id") view={pages::Page::StockItemPage} ssr=SSR/>
                            <Route path=path!("customers") view={pages::Page::CustomersPage} ssr=SSR/>
                            <Route path=path!("customers/:id") view={pages::Page::CustomerPage} ssr=SSR/>
                            <Route path=path!("import") view={pages::Page::ImportPage} ssr=SSR/>
                            <Route path=path!("import/:id") view={pages::Page::ImportDetailPage} ssr=SSR/>
                            <Route path=path!("settings") view={pages::Page::StoreSettingsPage} ssr=SSR/>
                            <Route path=path!("settings/taxes") view={pages::Page::TaxesPage} ssr=SSR/>
                            <Route path=path!("settings/shipping") view={pages::Page::ShippingPage} ssr=SSR/>
                            <Route path=path!("settings/coupons") view={pages::Page::CouponsPage} ssr=SSR/>
                            <Route path=path!("settings/staff") view={pages::Page::StaffPage} ssr=SSR/>
                            <Route path=path!("settings/emails") view={pages::Page::EmailPreviewsPage} ssr=SSR/>
                            <Route path=path!("settings/notifications") view={pages::Page::PromotionPushPage} ssr=SSR/>
                        </ParentRoute>
                    </Routes>
                </ErrorBoundary>
            </main>
            <Footer/>
        </Router>
    }
}
