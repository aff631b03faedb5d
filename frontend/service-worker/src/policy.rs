//! What the worker caches and when: pure functions, tested without a browser.

/// Prefix of every cache this worker creates; caches with other names belong to someone else.
pub const CACHE_PREFIX: &str = "shop-shell-";

/// The page shown when a navigation fails for lack of network.
pub const OFFLINE_PAGE: &str = "/offline.html";

/// What the offline page needs, precached at install.
pub const PRECACHE: &[&str] = &[OFFLINE_PAGE, "/pkg/shop.css", "/favicon.svg"];

/// The cache of build `version`.
pub fn cache_name(version: &str) -> String {
    format!("{CACHE_PREFIX}{version}")
}

/// True for a cache an earlier build of this worker left behind.
pub fn is_stale_cache(name: &str, version: &str) -> bool {
    name.starts_with(CACHE_PREFIX) && name != cache_name(version)
}

/// Whether the worker answers this request itself. Only page loads (navigations) are handled,
/// and only with GET: everything else goes to the network untouched.
pub fn handles(method: &str, is_navigation: bool) -> bool {
    is_navigation && method.eq_ignore_ascii_case("GET")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_older_caches_of_this_worker_are_stale() {
        assert!(is_stale_cache("shop-shell-abc", "def"));
        assert!(!is_stale_cache("shop-shell-def", "def"));
        assert!(!is_stale_cache("somebody-elses-cache", "def"));
    }

    #[test]
    fn only_page_navigations_are_answered() {
        assert!(handles("GET", true));
        assert!(!handles("POST", true), "form posts must reach the server");
        assert!(!handles("GET", false), "assets and API calls pass through");
    }

    #[test]
    fn the_offline_page_is_precached() {
        assert!(PRECACHE.contains(&OFFLINE_PAGE));
        assert_eq!(cache_name("v1"), "shop-shell-v1");
    }
}
