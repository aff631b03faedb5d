//! Every routed page as a lazily loaded route. In the browser build (`cargo leptos build
//! --split`) the pages are split into areas, each area's code (and whatever only it uses) in
//! WebAssembly chunks fetched when one of its pages is first shown: a shopper's first visit
//! downloads the shell (header, footer, router) and the area of the page it opens, not the
//! console, checkout and account pages too. The server renders the same pages as before and
//! names the chunks a page needs in its `<head>` (`<link rel="preload">`), so a first visit
//! fetches them beside the main module, not after it.
//!
//! Why areas and not one chunk per page: the splitter gives the code shared by each set of
//! split points a chunk of its own, so 58 pages made some 900 files and a product page needed
//! about 200 of them. A handful of areas, cut along how people move through the shop, keeps a
//! page to a few files.
//!
//! A page keeps loading its own data in its component: on the first client-side visit to an
//! area, the chunk and then the page's server functions are fetched one after the other (later
//! visits find the chunk cached).
//!
//! Every route's view is a [`Page`] (`Page::HomePage` in the table in `shell/mod.rs`), which
//! renders through its area's lazily loaded function. Without `--split` (tests, a plain
//! `cargo leptos build`) the same code runs in one module.

use leptos::lazy;
use leptos::prelude::*;
use leptos_router::ChooseView;

/// Declares one area: an enum of its pages, the lazily loaded function that renders any of
/// them (one split point for the whole area), and a [`Page`] constant per page.
macro_rules! area {
    ($area:ident, $pages:ident, $render:ident: $($route:ident => $component:path),* $(,)?) => {
        // The variants are named after the pages (most end in `Page`).
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $pages {
            $($route),*
        }

        #[lazy]
        fn $render(page: $pages) -> AnyView {
            match page {
                $($pages::$route => untrack(|| {
                    super::mark_hydrated();
                    $component().into_any()
                })),*
            }
        }

        // Named like the page components they stand for, as the route table reads best.
        #[allow(non_upper_case_globals)]
        impl Page {
            $(pub const $route: Page = Page::$area($pages::$route);)*
        }
    };
}

/// A routed page: its area and which of the area's pages. Every route of the table has this
/// one view type (not a `Lazy<T>` per page): the router's matching and rendering code is
/// generic over each route's view type, and 58 types made 58 copies of it in the main module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Browse(BrowsePages),
    Product(ProductPages),
    Buying(BuyingPages),
    Account(AccountPages),
    Console(ConsolePages),
}

impl ChooseView for Page {
    async fn choose(self) -> AnyView {
        match self {
            Page::Browse(page) => browse_view(page).await,
            Page::Product(page) => product_view(page).await,
            Page::Buying(page) => buying_view(page).await,
            Page::Account(page) => account_view(page).await,
            Page::Console(page) => console_view(page).await,
        }
    }

    // The router awaits this before hydrating the page: without it the page's code would
    // still be on its way and hydration would expect a placeholder where the server sent the
    // page. (The loaders are made by `#[lazy]` in the browser build only.)
    async fn preload(&self) {
        #[cfg(target_arch = "wasm32")]
        match self {
            Page::Browse(_) => __preload_browse_view().await,
            Page::Product(_) => __preload_product_view().await,
            Page::Buying(_) => __preload_buying_view().await,
            Page::Account(_) => __preload_account_view().await,
            Page::Console(_) => __preload_console_view().await,
        }
    }
}

area! { Browse, BrowsePages, browse_view:
    HomePage => crate::home::HomePage,
    CategoryPage => crate::catalog::CategoryPage,
    CollectionPage => crate::catalog::CollectionPage,
    SellerPage => crate::catalog::SellerPage,
    SearchPage => crate::catalog::SearchPage,
    SubscribedPage => crate::marketing::SubscribedPage,
}

area! { Product, ProductPages, product_view:
    ProductPage => product_page_with_buy_box,
}

area! { Buying, BuyingPages, buying_view:
    CartPage => crate::cart::CartPage,
    CheckoutPage => crate::checkout::CheckoutPage,
    OrderPage => crate::orders::OrderPage,
    InvoicePage => crate::orders::InvoicePage,
    OrderHistoryPage => crate::orders::OrderHistoryPage,
    TestPayPage => crate::payments::TestPayPage,
    TestPayAuthenticatePage => crate::payments::TestPayAuthenticatePage,
}

area! { Account, AccountPages, account_view:
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
    SellPage => crate::vendors::SellPage,
    JoinVendorPage => crate::vendors::JoinVendorPage,
}

// `console_view` is also named in frontend/service-worker/web/stamp.sh (its chunks are not
// precached for shoppers): rename both together.
area! { Console, ConsolePages, console_view:
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
    VendorsPage => crate::vendors::VendorsPage,
    VendorReviewPage => crate::vendors::VendorReviewPage,
    // The seller dashboard: back-office code like the console's (not precached for shoppers).
    VendorDashboardPage => crate::vendors::VendorDashboardPage,
    VendorProductsPage => crate::vendors::VendorProductsPage,
    VendorProductPage => crate::vendors::VendorProductPage,
    VendorStockPage => crate::vendors::VendorStockPage,
    VendorStockItemPage => crate::vendors::VendorStockItemPage,
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

/// The product page with its buy box: the cart's add-to-cart form (the catalog does not know
/// the cart), provided here so the form's code travels with the product page.
fn product_page_with_buy_box() -> impl IntoView {
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
    crate::catalog::ProductPage()
}
