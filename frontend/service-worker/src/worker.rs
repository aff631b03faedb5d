//! The event handlers, called from `web/sw.js`. Each returns a promise the script hands to
//! `waitUntil` or `respondWith`.

use crate::policy::{OFFLINE_PAGE, PRECACHE, cache_name, handles, is_stale_cache};
use js_sys::{Array, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::{Cache, FetchEvent, RequestMode, Response, ServiceWorkerGlobalScope};

fn scope() -> ServiceWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

async fn open_cache(version: &str) -> Result<Cache, JsValue> {
    let caches = scope().caches()?;
    JsFuture::from(caches.open(&cache_name(version)))
        .await?
        .dyn_into()
}

/// Precaches the offline page and its assets into this build's cache.
#[wasm_bindgen]
pub fn on_install(version: String) -> Promise {
    future_to_promise(async move {
        let cache = open_cache(&version).await?;
        let urls: Array = PRECACHE.iter().map(|u| JsValue::from_str(u)).collect();
        JsFuture::from(cache.add_all_with_str_sequence(&urls)).await?;
        JsFuture::from(scope().skip_waiting()?).await?;
        Ok(JsValue::UNDEFINED)
    })
}

/// Deletes caches of earlier builds and takes control of open pages.
#[wasm_bindgen]
pub fn on_activate(version: String) -> Promise {
    future_to_promise(async move {
        let caches = scope().caches()?;
        let names: Array = JsFuture::from(caches.keys()).await?.dyn_into()?;
        for name in names.iter().filter_map(|n| n.as_string()) {
            if is_stale_cache(&name, &version) {
                JsFuture::from(caches.delete(&name)).await?;
            }
        }
        JsFuture::from(scope().clients().claim()).await?;
        Ok(JsValue::UNDEFINED)
    })
}

/// True if the worker should answer `event` (the script calls this synchronously, because
/// `respondWith` must be called during the event's dispatch).
#[wasm_bindgen]
pub fn wants(event: &FetchEvent) -> bool {
    let request = event.request();
    handles(&request.method(), request.mode() == RequestMode::Navigate)
}

/// Answers a navigation: the network first, the offline page if the network fails.
#[wasm_bindgen]
pub fn on_fetch(version: String, event: FetchEvent) -> Promise {
    future_to_promise(async move {
        let request = event.request();
        match JsFuture::from(scope().fetch_with_request(&request)).await {
            Ok(response) => Ok(response),
            Err(network_error) => {
                let cache = open_cache(&version).await?;
                let cached = JsFuture::from(cache.match_with_str(OFFLINE_PAGE)).await?;
                match cached.dyn_into::<Response>() {
                    Ok(offline) => Ok(offline.into()),
                    Err(_) => Err(network_error),
                }
            }
        }
    })
}
