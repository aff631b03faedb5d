//! Everything around a page: the HTML document, header, footer, 404 and error pages.

mod footer;
mod header;

pub use footer::Footer;
pub use header::Header;

use crate::account::{
    AccountPage, AddressesPage, CheckInboxPage, ConfirmEmailPage, ConfirmNewEmailPage,
    ForgotPasswordPage, NewRecoveryCodesPage, RegisterPage, ResetPasswordPage, ResetSentPage,
    SecondStepPage, SecureAccountPage, SignInPage, TwoStepSetupPage,
};
use crate::admin::{AdminLayout, DashboardPage};
use crate::audit::AuditPage;
use crate::cart::CartCount;
use crate::cart::CartPage;
use crate::catalog::NotFound;
use crate::catalog::SearchPage;
use crate::catalog::csv::{ImportDetailPage, ImportPage};
use crate::catalog::editor::{
    AdminProductsPage, CategoriesPage, CollectionsPage, ProductEditorPage,
};
use crate::catalog::favourites::FavouritesPage;
use crate::catalog::{CategoryPage, CollectionPage, ProductPage};
use crate::checkout::CheckoutPage;
use crate::csp_reports::ViolationsPage;
use crate::customers::{CustomerPage, CustomersPage};
use crate::email::MailboxPage;
use crate::home::HomePage;
use crate::inventory::{InventoryPage, StockItemPage};
use crate::marketing::SubscribedPage;
use crate::orders::{AdminOrderPage, AdminOrdersPage, InvoicePage, OrderHistoryPage, OrderPage};
use crate::payments::{TestPayAuthenticatePage, TestPayPage};
use crate::search::SynonymsPage;
use crate::settings::{
    CouponsPage, EmailPreviewsPage, ShippingPage, StaffPage, StoreSettingsPage, TaxesPage,
};
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

/// The application: shell components around the routed page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Blocking: the <title> and header need the store's name before the first byte is sent.
    let store = Resource::new_blocking(|| (), |_| get_store_info());
    provide_context(StoreInfoResource(store));
    let cart_count = CartCount::default();
    provide_context(cart_count);
    // The product page's buy box is the cart's form (the catalog does not know the cart).
    provide_context(crate::catalog::BuyBox(std::sync::Arc::new(
        |input: crate::catalog::BuyInput| {
            view! {
                <crate::cart::AddToCartForm
                    variant_id=input.variant_id
                    sold_out=input.sold_out
                    price=input.price
                />
            }
            .into_any()
        },
    )));
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
    // Effects run only in the browser, after hydration: mark the page so tests (and styles
    // that need script) know the app is live.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/shop.css"/>
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
                    <Routes fallback=|| view! { <NotFound/> }>
                        <Route path=path!("") view=HomePage ssr=SSR/>
                        <Route path=path!("/newsletter/subscribed") view=SubscribedPage ssr=SSR/>
                        <Route path=path!("/account") view=AccountPage ssr=SSR/>
                        <Route path=path!("/account/addresses") view=AddressesPage ssr=SSR/>
                        <Route path=path!("/account/favourites") view=FavouritesPage ssr=SSR/>
                        <Route path=path!("/account/notifications") view=crate::push::NotificationsPage ssr=SSR/>
                        <Route path=path!("/products/:slug") view=ProductPage ssr=SSR/>
                        <Route path=path!("/categories/:slug") view=CategoryPage ssr=SSR/>
                        <Route path=path!("/collections/:slug") view=CollectionPage ssr=SSR/>
                        <Route path=path!("/search") view=SearchPage ssr=SSR/>
                        <Route path=path!("/cart") view=CartPage ssr=SSR/>
                        <Route path=path!("/checkout") view=CheckoutPage ssr=SSR/>
                        <Route path=path!("/orders/:id") view=OrderPage ssr=SSR/>
                        <Route path=path!("/orders/:id/invoice") view=InvoicePage ssr=SSR/>
                        <Route path=path!("/account/orders") view=OrderHistoryPage ssr=SSR/>
                        <Route path=path!("/testpay/:id") view=TestPayPage ssr=SSR/>
                        <Route path=path!("/testpay/:id/authenticate") view=TestPayAuthenticatePage ssr=SSR/>
                        <Route path=path!("/account/register") view=RegisterPage ssr=SSR/>
                        <Route path=path!("/account/check-inbox") view=CheckInboxPage ssr=SSR/>
                        <Route path=path!("/account/confirm") view=ConfirmEmailPage ssr=SSR/>
                        <Route path=path!("/account/sign-in") view=SignInPage ssr=SSR/>
                        <Route path=path!("/account/two-step") view=SecondStepPage ssr=SSR/>
                        <Route path=path!("/account/two-step/setup") view=TwoStepSetupPage ssr=SSR/>
                        <Route path=path!("/account/two-step/new-codes") view=NewRecoveryCodesPage ssr=SSR/>
                        <Route path=path!("/account/forgot") view=ForgotPasswordPage ssr=SSR/>
                        <Route path=path!("/account/reset-sent") view=ResetSentPage ssr=SSR/>
                        <Route path=path!("/account/reset") view=ResetPasswordPage ssr=SSR/>
                        <Route path=path!("/account/secure") view=SecureAccountPage ssr=SSR/>
                        <Route path=path!("/account/delete") view=crate::privacy::DeleteAccountPage ssr=SSR/>
                        <Route path=path!("/account/deleted") view=crate::privacy::AccountDeletedPage ssr=SSR/>
                        <Route path=path!("/account/confirm-new-email") view=ConfirmNewEmailPage ssr=SSR/>
                        <ParentRoute path=path!("/admin") view=AdminLayout ssr=SSR>
                            <Route path=path!("") view=DashboardPage ssr=SSR/>
                            <Route path=path!("mailbox") view=MailboxPage ssr=SSR/>
                            <Route path=path!("security") view=ViolationsPage ssr=SSR/>
                            <Route path=path!("audit") view=AuditPage ssr=SSR/>
                            <Route path=path!("search") view=SynonymsPage ssr=SSR/>
                            <Route path=path!("orders") view=AdminOrdersPage ssr=SSR/>
                            <Route path=path!("orders/:id") view=AdminOrderPage ssr=SSR/>
                            <Route path=path!("risk") view=crate::fraud::RiskReviewPage ssr=SSR/>
                            <Route path=path!("privacy") view=crate::privacy::PrivacyRequestsPage ssr=SSR/>
                            <Route path=path!("products") view=AdminProductsPage ssr=SSR/>
                            <Route path=path!("products/:id") view=ProductEditorPage ssr=SSR/>
                            <Route path=path!("categories") view=CategoriesPage ssr=SSR/>
                            <Route path=path!("collections") view=CollectionsPage ssr=SSR/>
                            <Route path=path!("inventory") view=InventoryPage ssr=SSR/>
                            <Route path=path!("inventory/:id") view=StockItemPage ssr=SSR/>
                            <Route path=path!("customers") view=CustomersPage ssr=SSR/>
                            <Route path=path!("customers/:id") view=CustomerPage ssr=SSR/>
                            <Route path=path!("import") view=ImportPage ssr=SSR/>
                            <Route path=path!("import/:id") view=ImportDetailPage ssr=SSR/>
                            <Route path=path!("settings") view=StoreSettingsPage ssr=SSR/>
                            <Route path=path!("settings/taxes") view=TaxesPage ssr=SSR/>
                            <Route path=path!("settings/shipping") view=ShippingPage ssr=SSR/>
                            <Route path=path!("settings/coupons") view=CouponsPage ssr=SSR/>
                            <Route path=path!("settings/staff") view=StaffPage ssr=SSR/>
                            <Route path=path!("settings/emails") view=EmailPreviewsPage ssr=SSR/>
                            <Route path=path!("settings/notifications") view=crate::push::PromotionPushPage ssr=SSR/>
                        </ParentRoute>
                    </Routes>
                </ErrorBoundary>
            </main>
            <Footer/>
        </Router>
    }
}
