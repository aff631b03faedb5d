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
/// The second step of a sign-in: a code from the authenticator app or a recovery code.
pub const SECOND_STEP: &str = "/account/two-step";
/// Setting up two-step sign-in (an authenticator app and recovery codes).
pub const TWO_STEP_SETUP: &str = "/account/two-step/setup";
/// New recovery codes, shown once after they were made.
pub const NEW_RECOVERY_CODES: &str = "/account/two-step/new-codes";
/// "This was not me": the link in a new-browser sign-in mail (ends every session, then a
/// new password).
pub const SECURE_ACCOUNT: &str = "/account/secure";
/// The signed-in account's personal-data export (JSON, a download).
pub const PERSONAL_DATA_EXPORT: &str = "/account/personal-data.json";
/// Where a customer deletes their account (erasure).
pub const DELETE_ACCOUNT: &str = "/account/delete";
/// What a customer sees once their account was deleted.
pub const ACCOUNT_DELETED: &str = "/account/deleted";
/// A customer's personal-data export for staff (`?id=<account id>`; JSON, a download).
pub const CUSTOMER_DATA_EXPORT: &str = "/admin/export/customer-data.json";
/// An order's page: `/orders/<id>`.
pub const ORDERS: &str = "/orders/";
/// "Sell with us": the vendor application.
pub const SELL: &str = "/sell";
/// The vendor dashboard.
pub const VENDOR: &str = "/vendor";
/// A seller's storefront: `/sellers/<slug>` (public).
pub const SELLERS: &str = "/sellers/";
/// A seller's products in its dashboard; one product's editor is `/vendor/products/<id>`
/// (`new` for a new one).
pub const VENDOR_PRODUCTS: &str = "/vendor/products";
/// A seller's stock in its dashboard; one variant's is `/vendor/stock/<variant id>`.
pub const VENDOR_STOCK: &str = "/vendor/stock";
/// Where an invitation to a vendor's team is accepted (`?token=`).
pub const VENDOR_JOIN: &str = "/vendor/join";
/// The console's vendors (applications, reviews, suspensions).
pub const ADMIN_VENDORS: &str = "/admin/vendors";
/// The console.
pub const ADMIN: &str = "/admin";
/// The console's risk review: orders held by the fraud rules, and recent decisions.
pub const RISK_REVIEW: &str = "/admin/risk";
/// The console's data-subject requests (export, erasure) and their deadlines.
pub const PRIVACY_REQUESTS: &str = "/admin/privacy";
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
pub const PRIVATE_PREFIXES: &[&str] = &[
    ACCOUNT, ADMIN, CART, CHECKOUT, "/orders", TESTPAY, SELL, VENDOR,
];

/// Whether `path` is one of the [`PRIVATE_PREFIXES`] pages: the prefix itself or below it
/// (`/sell` and `/sell/x`, not `/sellers`).
pub fn is_private_path(path: &str) -> bool {
    PRIVATE_PREFIXES.iter().any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
    })
}

/// Pages that may be shared between anonymous visitors (the page cache keeps them). Not the
/// sellers' storefronts: a seller changes its logo, banner and words without the search index
/// moving, and the index's generation is all the cache is invalidated by.
pub const SHARED_PREFIXES: &[&str] = &[CATEGORIES, COLLECTIONS, PRODUCTS, SEARCH];

/// Whether `link` is a path on this site and nothing else: it starts with one `/`, and no
/// browser could read it as another host. `//host` and `/\host` are protocol-relative (browsers
/// treat `\` as `/`), and tabs and line breaks are dropped by URL parsers, so `/\t/host` is
/// one too; none of them, and no backslash or control character at all, passes.
pub fn is_same_site_path(link: &str) -> bool {
    let mut chars = link.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/'))
        && !link.chars().any(|c| c == '\\' || c.is_control())
}

/// The query parameters shared pages read (listings: search words, sort, page, filters; the
/// product page: the chosen variant). The page cache keeps a page only when its query has no
/// other parameter, so made-up parameters cannot fill it.
pub const SHARED_QUERY_KEYS: &[&str] = &[
    "q", "sort", "page", "brand", "f", "seller", "in_stock", "min", "max", "variant",
];

/// Where browsers report what the Content-Security-Policy blocked (`report-uri`).
pub const CSP_REPORT: &str = "/csp-report";

/// The console's sample mails, one HTML document each (shown in frames on the e-mails page).
pub const EMAIL_PREVIEWS: &str = "/admin/settings/emails/";

/// The `index`-th sample mail's HTML.
pub fn email_preview(index: usize) -> String {
    format!("{EMAIL_PREVIEWS}{index}")
}

/// Cookie names. Every cookie the shop sets has two names: over HTTPS the `__Host-` prefix
/// pins it to this host and path `/` and requires Secure, so a neighbouring subdomain cannot
/// plant or overwrite it; over plain HTTP (local development only) browsers refuse that
/// prefix, so the bare name is used.
pub mod cookies {
    /// A cookie's name over HTTPS and over plain HTTP.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct CookieName {
        pub secure: &'static str,
        pub plain: &'static str,
    }

    impl CookieName {
        /// The name to use on a shop served over HTTPS (`https`) or plain HTTP.
        pub const fn pick(self, https: bool) -> &'static str {
            if https { self.secure } else { self.plain }
        }
    }

    /// The session (a random token; the server stores its SHA-256).
    pub const SESSION: CookieName = CookieName {
        secure: "__Host-shop_session",
        plain: "shop_session",
    };
    /// A guest's cart (a random token; the server stores its SHA-256).
    pub const CART: CookieName = CookieName {
        secure: "__Host-shop_cart",
        plain: "shop_cart",
    };
    /// A guest's favourites (product ids).
    pub const FAVOURITES: CookieName = CookieName {
        secure: "__Host-shop_favourites",
        plain: "shop_favourites",
    };
    /// Set by registration on the browser that registered: only that browser is signed in
    /// when the mailed confirmation link is used (anyone else's click just confirms).
    pub const REGISTERING: CookieName = CookieName {
        secure: "__Host-shop_registering",
        plain: "shop_registering",
    };
    /// A sign-in between the right password and its second step (a random token, ten
    /// minutes; the server stores its SHA-256). Never a session: it opens no page but the
    /// second step's.
    pub const SIGN_IN_CHALLENGE: CookieName = CookieName {
        secure: "__Host-shop_sign_in",
        plain: "shop_sign_in",
    };
    /// This browser's random id (400 days), so a sign-in from a browser an account never
    /// used before is mailed to its owner (the server stores its SHA-256 per account).
    pub const DEVICE: CookieName = CookieName {
        secure: "__Host-shop_device",
        plain: "shop_device",
    };
    /// Cookies that make a page personal (the page cache never shares such a page).
    pub const PERSONAL: &[&str] = &[
        SESSION.plain,
        SESSION.secure,
        FAVOURITES.plain,
        FAVOURITES.secure,
        CART.plain,
        CART.secure,
        SIGN_IN_CHALLENGE.plain,
        SIGN_IN_CHALLENGE.secure,
    ];
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

/// `/sellers/<slug>`.
pub fn seller_page(slug: &str) -> String {
    format!("{SELLERS}{slug}")
}

/// `/vendor/products/<id>`.
pub fn vendor_product(id: &str) -> String {
    format!("{VENDOR_PRODUCTS}/{id}")
}

/// `/vendor/stock/<variant id>`.
pub fn vendor_stock_item(variant_id: &str) -> String {
    format!("{VENDOR_STOCK}/{variant_id}")
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
    fn only_plain_paths_are_same_site() {
        for good in ["/", "/products/mug", "/search?q=a%2Fb#top"] {
            assert!(is_same_site_path(good), "{good}");
        }
        for bad in [
            "",
            "products",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ok\\..\\x",
            "https://evil.example/",
            "javascript:alert(1)",
        ] {
            assert!(!is_same_site_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn links_are_built_from_the_prefixes() {
        assert_eq!(product("linen-shirt"), "/products/linen-shirt");
        assert_eq!(category("shirts"), "/categories/shirts");
        assert_eq!(order("ABC"), "/orders/ABC");
        assert_eq!(media("k", 320), "/media/k/320.webp");
        assert!(SIGN_IN.starts_with(ACCOUNT));
        for p in SHARED_PREFIXES {
            assert!(!is_private_path(p), "{p}");
        }
        for private in [
            "/sell",
            "/vendor/products",
            "/account",
            "/orders/X",
            "/admin/vendors",
        ] {
            assert!(is_private_path(private), "{private}");
        }
        for public in ["/sellers/nordic-wool", "/vendors", "/", "/products/x"] {
            assert!(!is_private_path(public), "{public}");
        }
    }
}
