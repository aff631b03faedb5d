//! A cache of rendered storefront pages for shoppers without a session, the way shops put a
//! full-page cache in front of their catalog.
//!
//! Only `GET` pages that are the same for every anonymous visitor are kept (home, categories,
//! collections, products, search), only answers `200 OK` to requests that carry none of the
//! shop's cookies, and only while the search index (which every catalog change passes through)
//! has not moved and for at most `SHOP_PAGE_CACHE_SECS`. Each hit gets a fresh CSP nonce: the
//! old one is replaced in the page before the security layer reads it, so no two answers share
//! a nonce. The analytics events a render recorded (a product view, a search) are kept with
//! the page and recorded again on every hit, so cached pages still count.

use app::analytics::recorder::{Event, EventCapture};
use app::platform::ids::new_id;
use app::platform::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Paths whose pages may be shared between anonymous visitors.
const CACHEABLE: &[&str] = shop_types::paths::SHARED_PREFIXES;
/// Cookies that make a page personal (sessions, guest favourites, guest cart).
const PERSONAL_COOKIES: &[&str] = shop_types::paths::cookies::PERSONAL;
/// Pages kept at most, and their bytes at most; when either is reached, the cache starts again
/// empty (cheap and good enough for a cache that refills from a fast renderer).
const MAX_ENTRIES: usize = 4096;
const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Longest URL worth keeping.
const MAX_KEY: usize = 512;

struct Entry {
    headers: HeaderMap,
    body: Bytes,
    nonce: Option<String>,
    events: Vec<Event>,
    stored: Instant,
    generation: u64,
}

/// The cache; cheap to clone.
#[derive(Clone)]
pub struct PageCache {
    entries: Arc<Mutex<HashMap<String, Entry>>>,
    ttl: Duration,
}

impl PageCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            entries: Arc::new(Mutex::new(HashMap::new())),
            ttl,
        }
    }
}

fn cacheable(request: &Request) -> Option<String> {
    if request.method() != Method::GET {
        return None;
    }
    let path = request.uri().path();
    if path != "/" && !CACHEABLE.iter().any(|p| path.starts_with(p)) {
        return None;
    }
    let personal = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('=').map(|(name, _)| name))
        .any(|name| PERSONAL_COOKIES.contains(&name));
    if personal {
        return None;
    }
    let key = cache_key(path, request.uri().query())?;
    (key.len() <= MAX_KEY).then_some(key)
}

/// The page's key: its path and the parameters it reads, in one order (`?sort=x&q=y` and
/// `?q=y&sort=x` are the same page). A query with any other parameter, or one that does not
/// parse, is not cached at all: otherwise `?junk=1`, `?junk=2`, ... would each take a place.
fn cache_key(path: &str, query: Option<&str>) -> Option<String> {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return Some(path.to_owned());
    };
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !shop_types::paths::SHARED_QUERY_KEYS.contains(&name) {
            return None;
        }
        pairs.push((name, value));
    }
    // Stable: repeated parameters (brand=a&brand=b) keep their own order.
    pairs.sort_by_key(|(name, _)| *name);
    let query: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
    Some(format!("{path}?{}", query.join("&")))
}

/// Serves kept pages and keeps new ones.
pub async fn page_cache(
    State((state, cache)): State<(AppState, PageCache)>,
    request: Request,
    next: Next,
) -> Response {
    if cache.ttl.is_zero() {
        return next.run(request).await;
    }
    let Some(key) = cacheable(&request) else {
        return next.run(request).await;
    };
    let generation = state
        .part::<app::search::follower::Search>()
        .index
        .generation();
    let hit = cache.entries.lock().ok().and_then(|entries| {
        entries
            .get(&key)
            .filter(|e| e.generation == generation && e.stored.elapsed() < cache.ttl)
            .map(|e| {
                (
                    e.headers.clone(),
                    e.body.clone(),
                    e.nonce.clone(),
                    e.events.clone(),
                )
            })
    });
    if let Some((headers, body, nonce, events)) = hit {
        for event in events {
            state
                .part::<app::analytics::recorder::Analytics>()
                .record(event);
        }
        let body = match nonce {
            Some(old) => {
                Bytes::from(String::from_utf8_lossy(&body).replace(&old, &new_id().to_string()))
            }
            None => body,
        };
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        response
            .headers_mut()
            .insert("x-page-cache", HeaderValue::from_static("hit"));
        return response;
    }

    let capture = EventCapture::default();
    let mut request = request;
    request.extensions_mut().insert(capture.clone());
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if response.status() != StatusCode::OK
        || !is_html
        || response.headers().contains_key(header::SET_COOKIE)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::security::MAX_PAGE_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let entry = Entry {
        headers: parts.headers.clone(),
        nonce: crate::security::find_nonce(&bytes).map(str::to_owned),
        events: capture.events(),
        body: bytes.clone(),
        stored: Instant::now(),
        generation,
    };
    if let Ok(mut entries) = cache.entries.lock() {
        let kept: usize = entries.values().map(|e| e.body.len()).sum();
        if entries.len() >= MAX_ENTRIES || kept + bytes.len() > MAX_BYTES {
            entries.clear();
        }
        entries.insert(key, entry);
    }
    parts
        .headers
        .insert("x-page-cache", HeaderValue::from_static("miss"));
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::cache_key;

    #[test]
    fn only_the_parameters_a_page_reads_make_its_key() {
        assert_eq!(cache_key("/", None).as_deref(), Some("/"));
        assert_eq!(cache_key("/", Some("")).as_deref(), Some("/"));
        assert_eq!(
            cache_key("/search", Some("sort=price&q=mug")),
            cache_key("/search", Some("q=mug&sort=price"))
        );
        assert_eq!(
            cache_key("/categories/x", Some("brand=b&q=z&brand=a")).as_deref(),
            Some("/categories/x?brand=b&brand=a&q=z")
        );
        for junk in ["junk=1", "q=mug&utm_source=x", "q"] {
            let key = cache_key("/search", Some(junk));
            assert!(junk == "q" || key.is_none(), "{junk}: {key:?}");
        }
    }
}
