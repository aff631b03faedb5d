//! The shop's vocabulary of addresses and cookie names, defined once for the server (routes,
//! redirects, the page cache, the no-store list), the pages' links and the service worker.
//!
//! Route patterns in `shell`'s route table are written with Leptos's `path!` macro, which takes
//! only literals; `paths_match_the_route_table` (in the app's tests) checks that each of these
//! names a route there.

/// A product page: `/products/<slug>`.
pub const PRODUCTS: &str = "/products/";
/// A category listing: `/categories/<slug>`.
pub const CATEGORIES: &str = "/categories/";
/// A collection listing: `/collections/<slug>`.
pub const COLLECTIONS: &str = "/collections/";
/// Search results (`?q=`).
pub const SEARCH: &str = "/search";
/// The cart page.
pub const CART: &str = "/cart";
/// The one-page checkout.
pub const CHECKOUT: &str = "/checkout";
/// The shopper's account and everything under it.
pub const ACCOUNT: &str = "/account";
/// Sign-in (where anonymous callers of account and console pages are sent).
pub const SIGN_IN: &str = "/account/sign-in";
/// An order's page: `/orders/<id>`.
pub const ORDERS: &str = "/orders/";
/// The console.
pub const ADMIN: &str = "/admin";
/// The built-in test payment provider's pages.
pub const TESTPAY: &str = "/testpay";
/// Resized pictures: `/media/<key>/<width>.webp`.
pub const MEDIA: &str = "/media/";
/// The build's scripts, WebAssembly and styles.
pub const PKG: &str = "/pkg/";
/// The service worker's own files (its bootstrap is `/sw.js`, scope `/`).
pub const SW: &str = "/sw/";
/// The app's icons.
pub const ICONS: &str = "/icons/";
/// The web app manifest.
pub const MANIFEST: &str = "/manifest.webmanifest";
/// The static page shown for anything never seen while offline.
pub const OFFLINE_PAGE: &str = "/offline.html";

/// Server function endpoints the service worker treats specially.
pub mod api {
    /// Add to cart (queued while offline).
    pub const CART_ADD: &str = "/api/cart/add";
    /// Save or remove a favourite (queued while offline).
    pub const FAVOURITE_TOGGLE: &str = "/api/account/favourites/toggle";
    /// Sign out here, and everywhere (the worker drops personal pages).
    pub const SIGN_OUT: &str = "/api/account/sign-out";
    pub const SIGN_OUT_EVERYWHERE: &str = "/api/account/sign-out-everywhere";
    /// Replays changes made offline.
    pub const OFFLINE_SYNC: &str = "/api/offline/sync";
}

/// Pages about one person (or the back office): never stored by a browser or a shared cache,
/// never kept by the page cache.
pub const PRIVATE_PREFIXES: &[&str] = &[ACCOUNT, ADMIN, CART, CHECKOUT, "/orders", TESTPAY];

/// Pages that may be shared between anonymous visitors (the page cache keeps them).
pub const SHARED_PREFIXES: &[&str] = &[CATEGORIES, COLLECTIONS, PRODUCTS, SEARCH];

/// Cookie names.
pub mod cookies {
    /// The session over HTTPS: the `__Host-` prefix pins it to this host and path `/`, Secure.
    pub const SESSION_SECURE: &str = "__Host-shop_session";
    /// The session over plain HTTP (local development only: browsers refuse `__Host-` without
    /// TLS).
    pub const SESSION_PLAIN: &str = "shop_session";
    /// A guest's cart (a random token; the server stores its SHA-256).
    pub const CART: &str = "shop_cart";
    /// A guest's favourites (product ids).
    pub const FAVOURITES: &str = "shop_favourites";
    /// Cookies that make a page personal (the page cache never shares such a page).
    pub const PERSONAL: &[&str] = &[SESSION_PLAIN, SESSION_SECURE, FAVOURITES, CART];
}

/// `/products/<slug>`.
pub fn product(slug: &str) -> String {
    format!("{PRODUCTS}{slug}")
}

/// `/categories/<slug>`.
pub fn category(slug: &str) -> String {
    format!("{CATEGORIES}{slug}")
}

/// `/collections/<slug>`.
pub fn collection(slug: &str) -> String {
    format!("{COLLECTIONS}{slug}")
}

/// `/orders/<id>`.
pub fn order(id: &str) -> String {
    format!("{ORDERS}{id}")
}

/// `/media/<key>/<width>.webp`.
pub fn media(key: &str, width: u32) -> String {
    format!("{MEDIA}{key}/{width}.webp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_built_from_the_prefixes() {
        assert_eq!(product("linen-shirt"), "/products/linen-shirt");
        assert_eq!(category("shirts"), "/categories/shirts");
        assert_eq!(order("ABC"), "/orders/ABC");
        assert_eq!(media("k", 320), "/media/k/320.webp");
        assert!(SIGN_IN.starts_with(ACCOUNT));
        for p in SHARED_PREFIXES {
            assert!(!PRIVATE_PREFIXES.iter().any(|q| p.starts_with(q)), "{p}");
        }
    }
}
