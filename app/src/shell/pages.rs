//! Every routed page as a lazily loaded route: in the browser build (`cargo leptos build
//! --split`) each page's code, and whatever only it uses, sits in a WebAssembly chunk of its
//! own that is fetched when the page is first shown. A shopper's first visit downloads the
//! shell (header, footer, router) and the one page it opens, not the console, checkout and
//! account pages too. The server renders the same pages as before and names the chunks a page
//! needs in its `<head>` (`<link rel="preload">`), so a first visit fetches them beside the
//! main module, not after it.
//!
//! A page keeps loading its own data in its component: the chunk and the page's server
//! functions are then fetched one after the other on the first client-side visit to that kind
//! of page (later visits find the chunk cached). Moving a page's resources into `data()` would
//! start both at once; worth it for a page whose data is slow.
//!
//! Each route here is a unit type named after its page; the table in `shell/mod.rs` uses them
//! as `Lazy::<pages::HomePage>`. Without `--split` (tests, `cargo leptos watch` without it) the
//! same code simply runs in one module.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// Declares `pub struct $route;` for each page component and makes it a lazy route that
/// renders the component.
macro_rules! lazy_pages {
    ($($route:ident => $component:path),* $(,)?) => {
        $(
            pub struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_this: Self) -> AnyView {
                    untrack(|| $component().into_any())
                }
            }
        )*
    };
}

lazy_pages! {
    // What a shopper browses.
    HomePage => crate::home::HomePage,
    CategoryPage => crate::catalog::CategoryPage,
    CollectionPage => crate::catalog::CollectionPage,
    SearchPage => crate::catalog::SearchPage,
    SubscribedPage => crate::marketing::SubscribedPage,
    // Buying and paying.
    CartPage => crate::cart::CartPage,
    CheckoutPage => crate::checkout::CheckoutPage,
    OrderPage => crate::orders::OrderPage,
    InvoicePage => crate::orders::InvoicePage,
    OrderHistoryPage => crate::orders::OrderHistoryPage,
    TestPayPage => crate::payments::TestPayPage,
    TestPayAuthenticatePage => crate::payments::TestPayAuthenticatePage,
    // The shopper's account.
    AccountPage => crate::account::AccountPage,
    AddressesPage => crate::account::AddressesPage,
    FavouritesPage => crate::catalog::favourites::FavouritesPage,
    NotificationsPage => crate::push::NotificationsPage,
    RegisterPage => crate::account::RegisterPage,
    CheckInboxPage => crate::account::CheckInboxPage,
    ConfirmEmailPage => crate::account::ConfirmEmailPage,
    SignInPage => crate::account::SignInPage,
    SecondStepPage => crate::account::SecondStepPage,
    TwoStepSetupPage => crate::account::TwoStepSetupPage,
    NewRecoveryCodesPage => crate::account::NewRecoveryCodesPage,
    ForgotPasswordPage => crate::account::ForgotPasswordPage,
    ResetSentPage => crate::account::ResetSentPage,
    ResetPasswordPage => crate::account::ResetPasswordPage,
    SecureAccountPage => crate::account::SecureAccountPage,
    DeleteAccountPage => crate::privacy::DeleteAccountPage,
    AccountDeletedPage => crate::privacy::AccountDeletedPage,
    ConfirmNewEmailPage => crate::account::ConfirmNewEmailPage,
    // The console.
    AdminLayout => crate::admin::AdminLayout,
    DashboardPage => crate::admin::DashboardPage,
    MailboxPage => crate::email::MailboxPage,
    ViolationsPage => crate::csp_reports::ViolationsPage,
    AuditPage => crate::audit::AuditPage,
    SynonymsPage => crate::search::SynonymsPage,
    AdminOrdersPage => crate::orders::AdminOrdersPage,
    AdminOrderPage => crate::orders::AdminOrderPage,
    RiskReviewPage => crate::fraud::RiskReviewPage,
    PrivacyRequestsPage => crate::privacy::PrivacyRequestsPage,
    AdminProductsPage => crate::catalog::editor::AdminProductsPage,
    ProductEditorPage => crate::catalog::editor::ProductEditorPage,
    CategoriesPage => crate::catalog::editor::CategoriesPage,
    CollectionsPage => crate::catalog::editor::CollectionsPage,
    InventoryPage => crate::inventory::InventoryPage,
    StockItemPage => crate::inventory::StockItemPage,
    CustomersPage => crate::customers::CustomersPage,
    CustomerPage => crate::customers::CustomerPage,
    ImportPage => crate::catalog::csv::ImportPage,
    ImportDetailPage => crate::catalog::csv::ImportDetailPage,
    StoreSettingsPage => crate::settings::StoreSettingsPage,
    TaxesPage => crate::settings::TaxesPage,
    ShippingPage => crate::settings::ShippingPage,
    CouponsPage => crate::settings::CouponsPage,
    StaffPage => crate::settings::StaffPage,
    EmailPreviewsPage => crate::settings::EmailPreviewsPage,
    PromotionPushPage => crate::push::PromotionPushPage,
}

/// The product page, with its buy box: the cart's add-to-cart form (the catalog does not know
/// the cart), provided here so the form's code travels in this page's chunk.
pub struct ProductPage;

#[lazy_route]
impl LazyRoute for ProductPage {
    fn data() -> Self {
        ProductPage
    }

    fn view(_this: Self) -> AnyView {
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
        untrack(|| crate::catalog::ProductPage().into_any())
    }
}
