//! What the worker does with each request, what it keeps and how it searches offline: pure
//! functions, tested natively (`cargo test -p service-worker`).

use shop_types::catalog::ProductSummary;
use shop_types::offline::{OfflineAction, OfflineChange};
use shop_types::paths::{self, api};
use shop_types::{Currency, Money};

/// Prefix of every cache this worker creates; caches with other names belong to someone else.
pub const CACHE_PREFIX: &str = "shop-";

/// The page shown when a navigation fails and nothing was kept for it.
pub const OFFLINE_PAGE: &str = paths::OFFLINE_PAGE;

/// What the app shell needs, precached at install (the build adds its `/pkg` files).
pub const SHELL: &[&str] = &[
    OFFLINE_PAGE,
    "/favicon.svg",
    paths::MANIFEST,
    "/icons/192.png",
];

/// Pages read while browsing (stale-while-revalidate): at most this many are kept.
pub const MAX_PAGES: u32 = 150;
/// Pictures kept (cache-first; their URLs never change content).
pub const MAX_MEDIA: u32 = 400;
/// Product summaries kept for offline search.
pub const MAX_PRODUCTS: u32 = 500;
/// Background Sync tag of the replay.
pub const SYNC_TAG: &str = "shop-replay";

/// The caches of one build. Pages are kept per build because a page must hydrate with the
/// app build that rendered it; pictures do not depend on the build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caches {
    pub shell: String,
    pub pages: String,
    pub saved: String,
    pub personal: String,
    pub media: String,
}

impl Caches {
    pub fn of(version: &str) -> Self {
        Self {
            shell: format!("{CACHE_PREFIX}shell-{version}"),
            pages: format!("{CACHE_PREFIX}pages-{version}"),
            saved: format!("{CACHE_PREFIX}saved-{version}"),
            personal: format!("{CACHE_PREFIX}personal-{version}"),
            media: format!("{CACHE_PREFIX}media"),
        }
    }

    /// True for a cache an earlier build of this worker left behind.
    pub fn is_stale(&self, name: &str) -> bool {
        name.starts_with(CACHE_PREFIX)
            && ![
                &self.shell,
                &self.pages,
                &self.saved,
                &self.personal,
                &self.media,
            ]
            .iter()
            .any(|own| own.as_str() == name)
    }

    /// True for an earlier build's cache of pages saved for offline (re-fetched on update).
    pub fn is_older_saved(&self, name: &str) -> bool {
        name.starts_with(&format!("{CACHE_PREFIX}saved-")) && name != self.saved
    }
}

/// What a page is, for caching.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    /// Catalog pages anyone may see: kept and shown at once, refreshed in the background.
    Catalog,
    /// The shopper's own pages (cart, account, orders): from the network, the last copy when
    /// offline.
    Personal,
    /// Never kept (checkout, the console, payment pages): the offline page when offline.
    NetworkOnly,
}

/// A change kept on the device when it cannot be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Queueable {
    CartAdd,
    Favourite,
}

/// What the worker does with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Not the worker's business: the browser fetches it as if there were no worker.
    Pass,
    /// App shell files: cache first.
    Shell,
    /// Product pictures: cache first, bounded.
    Media,
    /// A page load.
    Page(PageKind),
    /// A change sent to the server: kept on the device if the server cannot be reached.
    Queue(Queueable),
    /// Signing out: the shopper's kept pages are forgotten afterwards.
    SignOut,
}

/// Decides what to do with a request for `path` (no query) of the worker's own origin.
pub fn classify(method: &str, path: &str, is_navigation: bool) -> Strategy {
    let get = method.eq_ignore_ascii_case("GET");
    if !get {
        return match (method.eq_ignore_ascii_case("POST"), path, is_navigation) {
            (true, api::CART_ADD, false) => Strategy::Queue(Queueable::CartAdd),
            (true, api::FAVOURITE_TOGGLE, false) => Strategy::Queue(Queueable::Favourite),
            (true, api::SIGN_OUT | api::SIGN_OUT_EVERYWHERE, _) => Strategy::SignOut,
            _ => Strategy::Pass,
        };
    }
    if is_navigation {
        return Strategy::Page(page_kind(path));
    }
    if path.starts_with(paths::PKG)
        || path.starts_with(paths::SW)
        || path.starts_with(paths::ICONS)
        || SHELL.contains(&path)
    {
        Strategy::Shell
    } else if path.starts_with(paths::MEDIA) {
        Strategy::Media
    } else {
        Strategy::Pass
    }
}

/// The kind of page at `path`.
pub fn page_kind(path: &str) -> PageKind {
    let catalog = path == "/"
        || path == paths::SEARCH
        || [paths::PRODUCTS, paths::CATEGORIES, paths::COLLECTIONS]
            .iter()
            .any(|p| path.starts_with(p));
    let personal = path == paths::CART
        || path == paths::ACCOUNT
        || path.starts_with("/account/")
        || path.starts_with(paths::ORDERS);
    // Links carrying secrets are never kept.
    if catalog {
        PageKind::Catalog
    } else if personal
        && !path.starts_with("/account/confirm")
        && !path.starts_with("/account/reset")
    {
        PageKind::Personal
    } else {
        PageKind::NetworkOnly
    }
}

/// A fresh change id: 128 random bits as 26 symbols of lower-case base32.
pub fn change_id(random: [u8; 16]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let value = u128::from_be_bytes(random);
    (0..26)
        .rev()
        .map(|i| ALPHABET[((value >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// Turns the form a page posted (`application/x-www-form-urlencoded` pairs, already decoded)
/// into a change to keep. `None` when the form is not one the worker understands.
pub fn offline_action(kind: Queueable, fields: &[(String, String)]) -> Option<OfflineAction> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
    };
    match kind {
        Queueable::CartAdd => {
            let variant_id = field("variant_id").filter(|v| !v.is_empty())?;
            let quantity = match field("quantity").filter(|q| !q.is_empty()) {
                Some(q) => q.parse::<u32>().ok().filter(|q| *q > 0)?,
                None => 1,
            };
            let seen_price = field("seen_price").and_then(|p| parse_price(&p));
            Some(OfflineAction::CartAdd {
                variant_id,
                quantity,
                seen_price,
            })
        }
        Queueable::Favourite => Some(OfflineAction::Favourite {
            product_id: field("product_id").filter(|v| !v.is_empty())?,
            save: field("save")? == "true",
        }),
    }
}

/// "1999 EUR" → 19.99 €.
fn parse_price(text: &str) -> Option<Money> {
    let (minor, currency) = text.split_once(' ')?;
    Some(Money::new(
        minor.parse().ok()?,
        Currency::parse(currency).ok()?,
    ))
}

/// The changes waiting, oldest first, as the server wants them.
pub fn replay_order(mut changes: Vec<OfflineChange>) -> Vec<OfflineChange> {
    changes.sort_by(|a, b| a.made_at.cmp(&b.made_at).then_with(|| a.id.cmp(&b.id)));
    changes
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// One edit (insert, delete, replace) at most between `a` and `b`.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// Whether a word of the shopper's query matches a word of a product: as a prefix, or with
/// one typo for words of four letters or more.
fn word_matches(query: &str, word: &str) -> bool {
    word.starts_with(query) || (query.chars().count() >= 4 && within_one_edit(query, word))
}

/// Offline search over the products seen on this device: every word of the query must match
/// a word of the title, brand or seller (as online search does). Best matches (more exact words) first, then as given.
pub fn search<'a>(products: &'a [ProductSummary], query: &str) -> Vec<&'a ProductSummary> {
    let wanted = words(query);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(usize, usize, &ProductSummary)> = products
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let seller = p.seller.as_ref().map_or("", |s| s.name.as_str());
            let own: Vec<String> = words(&format!("{} {} {seller}", p.title, p.brand));
            let all = wanted
                .iter()
                .all(|q| own.iter().any(|w| word_matches(q, w)));
            let exact = wanted.iter().filter(|q| own.contains(q)).count();
            all.then_some((exact, i, p))
        })
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.into_iter().map(|(_, _, p)| p).collect()
}

use shop_types::html::escape_html as escape;

/// The query (`q`) of a search URL's query string, decoded.
pub fn search_query(query_string: &str) -> String {
    query_string
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("q="))
        .map(|q| percent_decode(&q.replace('+', " ")))
        .unwrap_or_default()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The page offline search answers with: a plain page (it does not hydrate, so it never
/// clashes with the app), styled by the precached stylesheet.
pub fn offline_search_page(query: &str, hits: &[&ProductSummary], seen: usize) -> String {
    let q = escape(query);
    let mut items = String::new();
    for p in hits.iter().take(48) {
        let picture = p
            .image
            .as_ref()
            .map(|i| {
                format!(
                    r#"<img src="/media/{}/320.webp" alt="{}" width="320" height="{}" loading="lazy">"#,
                    escape(&i.key),
                    escape(&i.alt),
                    (320 * i.height.max(1)) / i.width.max(1)
                )
            })
            .unwrap_or_default();
        items.push_str(&format!(
            r#"<li class="product-card"><a href="/products/{slug}">{picture}<span class="product-title">{title}</span></a><p class="price">{price}</p></li>"#,
            slug = escape(&p.slug),
            title = escape(&p.title),
            price = escape(&p.price.to_string()),
        ));
    }
    let summary = if hits.is_empty() {
        format!("<p>Nothing among the {seen} products seen on this device matches “{q}”.</p>")
    } else {
        format!(
            "<p>{} of the {seen} products seen on this device match “{q}”. Prices may have changed since.</p>",
            hits.len()
        )
    };
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Search “{q}” (offline)</title><link rel="stylesheet" href="/pkg/shop.css"></head><body><main id="main" class="page"><p class="notice offline-notice" role="status"><strong>You are offline.</strong> These results come from this device; search again when you are back online for everything.</p><h1>Results for “{q}”</h1>{summary}<ul class="product-grid">{items}</ul><form action="/search" method="get" role="search" class="field"><label for="offline-q">Search again</label><div class="search-form"><input id="offline-q" name="q" type="search" value="{q}"><button type="submit">Search</button></div></form><p><a href="/">Home</a></p></main></body></html>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use shop_types::catalog::ImageRef;

    #[test]
    fn only_older_caches_of_this_worker_are_stale() {
        let now = Caches::of("def");
        assert!(now.is_stale("shop-shell-abc"));
        assert!(now.is_stale("shop-pages-abc"));
        assert!(!now.is_stale("shop-shell-def"));
        assert!(!now.is_stale("shop-media"), "pictures outlive builds");
        assert!(!now.is_stale("somebody-elses-cache"));
        assert!(now.is_older_saved("shop-saved-abc"));
        assert!(!now.is_older_saved("shop-saved-def"));
    }

    #[test]
    fn requests_are_routed_by_kind() {
        assert_eq!(
            classify("GET", "/products/linen-shirt", true),
            Strategy::Page(PageKind::Catalog)
        );
        assert_eq!(
            classify("GET", "/categories/shirts", true),
            Strategy::Page(PageKind::Catalog)
        );
        assert_eq!(
            classify("GET", "/search", true),
            Strategy::Page(PageKind::Catalog)
        );
        assert_eq!(
            classify("GET", "/", true),
            Strategy::Page(PageKind::Catalog)
        );
        assert_eq!(
            classify("GET", "/cart", true),
            Strategy::Page(PageKind::Personal)
        );
        assert_eq!(
            classify("GET", "/account/orders", true),
            Strategy::Page(PageKind::Personal)
        );
        assert_eq!(
            classify("GET", "/orders/abc", true),
            Strategy::Page(PageKind::Personal)
        );
        assert_eq!(
            classify("GET", "/checkout", true),
            Strategy::Page(PageKind::NetworkOnly)
        );
        assert_eq!(
            classify("GET", "/admin/orders", true),
            Strategy::Page(PageKind::NetworkOnly)
        );
        assert_eq!(
            classify("GET", "/account/reset", true),
            Strategy::Page(PageKind::NetworkOnly),
            "secret links are never kept"
        );
        assert_eq!(classify("GET", "/pkg/shop.js", false), Strategy::Shell);
        assert_eq!(
            classify("GET", "/media/abc/320.webp", false),
            Strategy::Media
        );
        assert_eq!(
            classify("GET", "/api/search/suggest", false),
            Strategy::Pass
        );
        assert_eq!(
            classify("POST", "/api/cart/add", false),
            Strategy::Queue(Queueable::CartAdd)
        );
        assert_eq!(
            classify("POST", "/api/account/favourites/toggle", false),
            Strategy::Queue(Queueable::Favourite)
        );
        assert_eq!(
            classify("POST", "/api/cart/add", true),
            Strategy::Pass,
            "plain form posts go to the server"
        );
        assert_eq!(
            classify("POST", "/api/checkout/place", false),
            Strategy::Pass,
            "orders are never queued"
        );
        assert_eq!(
            classify("POST", "/api/account/sign-out", false),
            Strategy::SignOut
        );
    }

    #[test]
    fn change_ids_are_valid_and_distinct() {
        let a = change_id([0; 16]);
        let b = change_id([255; 16]);
        assert_eq!(a.len(), 26);
        assert_ne!(a, b);
        let change = OfflineChange {
            id: b,
            made_at: 0,
            action: OfflineAction::Favourite {
                product_id: "p".into(),
                save: true,
            },
        };
        assert!(change.id_is_valid());
    }

    #[test]
    fn posted_forms_become_changes() {
        let form = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            offline_action(
                Queueable::CartAdd,
                &form(&[
                    ("variant_id", "v1"),
                    ("quantity", "2"),
                    ("seen_price", "1999 EUR")
                ])
            ),
            Some(OfflineAction::CartAdd {
                variant_id: "v1".into(),
                quantity: 2,
                seen_price: Some(Money::new(1999, Currency::EUR))
            })
        );
        assert_eq!(
            offline_action(Queueable::CartAdd, &form(&[("variant_id", "v1")])),
            Some(OfflineAction::CartAdd {
                variant_id: "v1".into(),
                quantity: 1,
                seen_price: None
            })
        );
        assert_eq!(
            offline_action(
                Queueable::CartAdd,
                &form(&[("variant_id", "v1"), ("quantity", "0")])
            ),
            None
        );
        assert_eq!(
            offline_action(Queueable::CartAdd, &form(&[("quantity", "1")])),
            None
        );
        assert_eq!(
            offline_action(
                Queueable::Favourite,
                &form(&[("product_id", "p1"), ("save", "false")])
            ),
            Some(OfflineAction::Favourite {
                product_id: "p1".into(),
                save: false
            })
        );
    }

    #[test]
    fn replays_go_oldest_first() {
        let change = |id: &str, at| OfflineChange {
            id: id.into(),
            made_at: at,
            action: OfflineAction::Favourite {
                product_id: "p".into(),
                save: true,
            },
        };
        let ordered = replay_order(vec![change("b", 2), change("a", 1), change("c", 2)]);
        let ids: Vec<&str> = ordered.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
    }

    fn product(title: &str, brand: &str) -> ProductSummary {
        ProductSummary {
            id: title.into(),
            slug: title.to_lowercase().replace(' ', "-"),
            title: title.into(),
            brand: brand.into(),
            price: Money::new(1000, Currency::EUR),
            compare_at: None,
            image: Some(ImageRef {
                key: "k".into(),
                alt: "<b>".into(),
                width: 640,
                height: 800,
            }),
            highlighted: None,
            seller: None,
        }
    }

    #[test]
    fn offline_search_matches_prefixes_and_typos() {
        let products = vec![
            product("Linen shirt", "Northwind"),
            product("Wool parka", "Fjell"),
            product("Linen trousers", "Northwind"),
        ];
        let titles = |q: &str| {
            search(&products, q)
                .iter()
                .map(|p| p.title.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(titles("linen"), ["Linen shirt", "Linen trousers"]);
        assert_eq!(titles("lin shi"), ["Linen shirt"]);
        assert_eq!(titles("parkka"), ["Wool parka"], "one typo is forgiven");
        assert_eq!(titles("fjell"), ["Wool parka"], "brands match too");
        let mut sold = products.clone();
        sold[2].seller = Some(shop_types::catalog::SellerRef {
            slug: "atelier-lin".into(),
            name: "Atelier Lin".into(),
        });
        let by_seller: Vec<&str> = search(&sold, "atelier")
            .iter()
            .map(|p| p.title.as_str())
            .collect();
        assert_eq!(by_seller, ["Linen trousers"], "and sellers");
        assert!(titles("sofa").is_empty());
        assert!(titles("  ").is_empty());
    }

    #[test]
    fn the_offline_search_page_escapes_everything() {
        let products = vec![product("Linen <script>", "x")];
        let hits = search(&products, "linen");
        let html = offline_search_page("<img src=x>", &hits, 1);
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<img src=x>"));
        assert!(html.contains("&lt;img src=x&gt;"));
        assert!(html.contains(r#"alt="&lt;b&gt;""#));
        assert_eq!(search_query("?q=linen+shirt&page=2"), "linen shirt");
        assert_eq!(search_query("q=caf%C3%A9"), "café");
    }
}
