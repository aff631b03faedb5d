//! The event handlers, called from `web/sw.js`. Each returns a promise the script hands to
//! `waitUntil` or `respondWith`. The decisions are in `policy`; this file does the browser
//! plumbing: caches, IndexedDB, fetches, messages, notifications.

use crate::idb;
use crate::policy::{
    self, Caches, MAX_MEDIA, MAX_PAGES, MAX_PRODUCTS, OFFLINE_PAGE, PageKind, Queueable, SHELL,
    SYNC_TAG, Strategy,
};
use js_sys::{Array, Promise, Reflect};
use serde::{Deserialize, Serialize};
use shop_types::AppError;
use shop_types::catalog::ProductSummary;
use shop_types::offline::{ChangeReport, OfflineChange, PushMessage, WorkerCommand, WorkerReport};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise, spawn_local};
use web_sys::{
    Cache, ExtendableMessageEvent, FetchEvent, NotificationEvent, PushEvent, Request, RequestMode,
    Response, ResponseInit, ServiceWorkerGlobalScope,
};

fn scope() -> ServiceWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

async fn open(name: &str) -> Result<Cache, JsValue> {
    JsFuture::from(scope().caches()?.open(name))
        .await?
        .dyn_into()
}

async fn cached(cache: &str, request: &Request) -> Option<Response> {
    let cache = open(cache).await.ok()?;
    JsFuture::from(cache.match_with_request(request))
        .await
        .ok()?
        .dyn_into::<Response>()
        .ok()
}

async fn cached_url(cache: &str, url: &str) -> Option<Response> {
    let cache = open(cache).await.ok()?;
    JsFuture::from(cache.match_with_str(url))
        .await
        .ok()?
        .dyn_into::<Response>()
        .ok()
}

async fn network(request: &Request) -> Result<Response, JsValue> {
    JsFuture::from(scope().fetch_with_request(request))
        .await?
        .dyn_into()
}

/// A response worth keeping: a plain same-origin 200.
fn keepable(response: &Response) -> bool {
    response.ok() && response.status() == 200 && response.type_() == web_sys::ResponseType::Basic
}

async fn store(cache: &str, request: &Request, response: &Response, limit: Option<u32>) {
    let Ok(cache) = open(cache).await else { return };
    let Ok(copy) = response.clone() else { return };
    let _ = JsFuture::from(cache.put_with_request(request, &copy)).await;
    if let Some(limit) = limit {
        trim(&cache, limit).await;
    }
}

/// Drops the oldest entries beyond `limit` (keys come back in insertion order).
async fn trim(cache: &Cache, limit: u32) {
    let Ok(keys) = JsFuture::from(cache.keys()).await else {
        return;
    };
    let keys: Array = keys.unchecked_into();
    let excess = keys.length().saturating_sub(limit);
    for i in 0..excess {
        if let Ok(request) = keys.get(i).dyn_into::<Request>() {
            let _ = JsFuture::from(cache.delete_with_request(&request)).await;
        }
    }
}

fn html(body: &str, status: u16) -> Result<Response, JsValue> {
    let init = ResponseInit::new();
    init.set_status(status);
    let headers = web_sys::Headers::new()?;
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    init.set_headers(&headers);
    Response::new_with_opt_str_and_init(Some(body), &init)
}

/// Precaches the app shell and this build's `/pkg` files.
#[wasm_bindgen]
pub fn on_install(version: String, build_files: Array) -> Promise {
    future_to_promise(async move {
        let cache = open(&Caches::of(&version).shell).await?;
        let urls: Array = SHELL.iter().map(|u| JsValue::from_str(u)).collect();
        for file in build_files.iter() {
            urls.push(&file);
        }
        JsFuture::from(cache.add_all_with_str_sequence(&urls)).await?;
        // The first version takes over at once; later ones wait until the shopper reloads
        // (the app offers "A new version is available").
        let registration = scope().registration();
        if registration.active().is_none() {
            JsFuture::from(scope().skip_waiting()?).await?;
        }
        Ok(JsValue::UNDEFINED)
    })
}

/// Moves pages saved for offline into this build's cache (fetched anew, as they must hydrate
/// with this build), deletes caches of earlier builds and takes control of open pages.
#[wasm_bindgen]
pub fn on_activate(version: String) -> Promise {
    future_to_promise(async move {
        let caches = Caches::of(&version);
        let storage = scope().caches()?;
        let names: Array = JsFuture::from(storage.keys()).await?.dyn_into()?;
        let names: Vec<String> = names.iter().filter_map(|n| n.as_string()).collect();
        for name in names.iter().filter(|n| caches.is_older_saved(n)) {
            let Ok(old) = open(name).await else { continue };
            let Ok(keys) = JsFuture::from(old.keys()).await else {
                continue;
            };
            let keys: Array = keys.unchecked_into();
            let urls: Vec<String> = keys
                .iter()
                .filter_map(|k| k.dyn_into::<Request>().ok())
                .map(|r| r.url())
                .collect();
            save_urls(&caches, &urls).await;
        }
        for name in names.iter().filter(|n| caches.is_stale(n)) {
            JsFuture::from(storage.delete(name)).await?;
        }
        JsFuture::from(scope().clients().claim()).await?;
        Ok(JsValue::UNDEFINED)
    })
}

fn path_of(url: &str) -> (String, String) {
    match web_sys::Url::new(url) {
        Ok(u) => (u.pathname(), u.search()),
        Err(_) => ("/".into(), String::new()),
    }
}

fn same_origin(url: &str) -> bool {
    let Ok(u) = web_sys::Url::new(url) else {
        return false;
    };
    u.origin() == scope().location().origin()
}

fn strategy(request: &Request) -> Strategy {
    if !same_origin(&request.url()) {
        return Strategy::Pass;
    }
    let (path, _) = path_of(&request.url());
    policy::classify(
        &request.method(),
        &path,
        request.mode() == RequestMode::Navigate,
    )
}

/// True if the worker answers `event` (the script asks synchronously: `respondWith` must be
/// called during the event's dispatch).
#[wasm_bindgen]
pub fn wants(event: &FetchEvent) -> bool {
    strategy(&event.request()) != Strategy::Pass
}

/// Answers a request the worker wants.
#[wasm_bindgen]
pub fn on_fetch(version: String, event: FetchEvent) -> Promise {
    future_to_promise(async move {
        let caches = Caches::of(&version);
        let request = event.request();
        let response = match strategy(&request) {
            Strategy::Pass => network(&request).await,
            Strategy::Shell => cache_first(&caches.shell, &request, None).await,
            Strategy::Media => cache_first(&caches.media, &request, Some(MAX_MEDIA)).await,
            Strategy::Page(PageKind::Catalog) => catalog_page(&caches, &event, &request).await,
            Strategy::Page(PageKind::Personal) => personal_page(&caches, &request).await,
            Strategy::Page(PageKind::NetworkOnly) => match network(&request).await {
                Ok(response) => Ok(response),
                Err(error) => offline_page(&caches).await.ok_or(error),
            },
            Strategy::Queue(kind) => queue_if_offline(kind, &request).await,
            Strategy::SignOut => {
                let answer = network(&request).await;
                // The shopper's kept pages are theirs alone: forget them on this device.
                if let Ok(storage) = scope().caches() {
                    for name in [&caches.personal, &caches.pages, &caches.saved] {
                        let _ = JsFuture::from(storage.delete(name)).await;
                    }
                }
                answer
            }
        }?;
        Ok(response.into())
    })
}

async fn cache_first(
    cache: &str,
    request: &Request,
    limit: Option<u32>,
) -> Result<Response, JsValue> {
    if let Some(hit) = cached(cache, request).await {
        return Ok(hit);
    }
    let response = network(request).await?;
    if keepable(&response) {
        store(cache, request, &response, limit).await;
    }
    Ok(response)
}

async fn offline_page(caches: &Caches) -> Option<Response> {
    cached_url(&caches.shell, OFFLINE_PAGE).await
}

/// Catalog pages: a kept copy at once (saved pages first), refreshed in the background;
/// otherwise the network; offline with nothing kept, search answers from the products seen on
/// this device and other pages get the offline page.
async fn catalog_page(
    caches: &Caches,
    event: &FetchEvent,
    request: &Request,
) -> Result<Response, JsValue> {
    let kept = match cached(&caches.saved, request).await {
        Some(hit) => Some(hit),
        None => cached(&caches.pages, request).await,
    };
    if let Some(hit) = kept {
        let refresh_request = request.clone()?;
        let pages = caches.pages.clone();
        let saved = caches.saved.clone();
        let refresh = future_to_promise(async move {
            if let Ok(fresh) = network(&refresh_request).await
                && keepable(&fresh)
            {
                // A saved page stays saved; others go to the bounded cache.
                if cached(&saved, &refresh_request).await.is_some() {
                    store(&saved, &refresh_request, &fresh, None).await;
                } else {
                    store(&pages, &refresh_request, &fresh, Some(MAX_PAGES)).await;
                }
            }
            Ok(JsValue::UNDEFINED)
        });
        let _ = event.wait_until(&refresh);
        return Ok(hit);
    }
    match network(request).await {
        Ok(response) => {
            if keepable(&response) {
                store(&caches.pages, request, &response, Some(MAX_PAGES)).await;
            }
            Ok(response)
        }
        Err(error) => {
            let (path, query) = path_of(&request.url());
            if path == "/search" {
                return offline_search(&policy::search_query(&query)).await;
            }
            offline_page(caches).await.ok_or(error)
        }
    }
}

/// The shopper's own pages: the network first (and kept), the kept copy when offline.
async fn personal_page(caches: &Caches, request: &Request) -> Result<Response, JsValue> {
    match network(request).await {
        Ok(response) => {
            if keepable(&response) {
                store(&caches.personal, request, &response, Some(MAX_PAGES)).await;
            }
            Ok(response)
        }
        Err(error) => match cached(&caches.personal, request).await {
            Some(hit) => Ok(hit),
            None => offline_page(caches).await.ok_or(error),
        },
    }
}

/// A product summary kept for offline search.
#[derive(Serialize, Deserialize)]
struct Seen {
    id: String,
    seen_at: f64,
    product: ProductSummary,
}

async fn offline_search(query: &str) -> Result<Response, JsValue> {
    let mut seen: Vec<Seen> = idb::all(idb::PRODUCTS).await.unwrap_or_default();
    seen.sort_by(|a, b| b.seen_at.total_cmp(&a.seen_at));
    let products: Vec<ProductSummary> = seen.into_iter().map(|s| s.product).collect();
    let hits = policy::search(&products, query);
    html(
        &policy::offline_search_page(query, &hits, products.len()),
        200,
    )
}

/// Sends a change; when the server cannot be reached, keeps it on the device and answers
/// with `AppError::SavedOffline`.
async fn queue_if_offline(kind: Queueable, request: &Request) -> Result<Response, JsValue> {
    let copy = request.clone()?;
    let error = match network(request).await {
        Ok(response) => return Ok(response),
        Err(error) => error,
    };
    let body = JsFuture::from(copy.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&body)?;
    let mut fields = Vec::new();
    for entry in js_sys::try_iter(&params)?.into_iter().flatten() {
        let pair: Array = entry?.unchecked_into();
        if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            fields.push((k, v));
        }
    }
    let Some(action) = policy::offline_action(kind, &fields) else {
        return Err(error);
    };
    let mut random = [0u8; 16];
    scope()
        .crypto()?
        .get_random_values_with_u8_array(&mut random)?;
    let change = OfflineChange {
        id: policy::change_id(random),
        made_at: js_sys::Date::now() as i64,
        action,
    };
    idb::put(idb::PENDING, &change).await?;
    register_sync().await;
    broadcast_status().await;
    let init = ResponseInit::new();
    init.set_status(503);
    let headers = web_sys::Headers::new()?;
    headers.set("Content-Type", "application/json")?;
    init.set_headers(&headers);
    let body = serde_json::to_string(&AppError::SavedOffline).unwrap_or_default();
    Response::new_with_opt_str_and_init(Some(&body), &init)
}

/// Asks the browser to wake the worker when the connection returns (where Background Sync
/// exists; elsewhere pages ask on `online` and on start).
async fn register_sync() {
    let registration = scope().registration();
    let Ok(sync) = Reflect::get(&registration, &JsValue::from_str("sync")) else {
        return;
    };
    if sync.is_undefined() {
        return;
    }
    let Ok(register) = Reflect::get(&sync, &JsValue::from_str("register")) else {
        return;
    };
    if let Ok(register) = register.dyn_into::<js_sys::Function>()
        && let Ok(promise) = register.call1(&sync, &JsValue::from_str(SYNC_TAG))
    {
        let _ = JsFuture::from(Promise::from(promise)).await;
    }
}

/// Sends every waiting change to the server; removes the ones it answered, keeps conflicts to
/// show. Fails (so Background Sync retries) when the server cannot be reached.
async fn replay() -> Result<(), JsValue> {
    let pending: Vec<OfflineChange> = idb::all(idb::PENDING).await?;
    if pending.is_empty() {
        return Ok(());
    }
    let changes = policy::replay_order(pending);
    let body = serde_json::json!({ "changes": changes }).to_string();
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&body));
    let headers = web_sys::Headers::new()?;
    headers.set("Content-Type", "application/json")?;
    headers.set("Accept", "application/json")?;
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(shop_types::paths::api::OFFLINE_SYNC, &init)?;
    let response = network(&request).await?;
    let text = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    let ids: Vec<String> = changes.iter().map(|c| c.id.clone()).collect();
    if response.ok() {
        let reports: Vec<ChangeReport> =
            serde_json::from_str(&text).map_err(|e| JsValue::from_str(&e.to_string()))?;
        for report in reports.iter().filter(|r| r.outcome.is_conflict()) {
            idb::put(idb::CONFLICTS, report).await?;
        }
        let answered: Vec<String> = reports.into_iter().map(|r| r.id).collect();
        idb::delete(idb::PENDING, &answered).await?;
    } else if (400..500).contains(&response.status()) && response.status() != 429 {
        // The server refused the batch itself: sending it again cannot help, so each change
        // becomes a conflict the shopper sees instead of disappearing.
        let why = serde_json::from_str::<shop_types::AppError>(&text)
            .ok()
            .and_then(|e| e.problem().cloned())
            .unwrap_or(shop_types::Problem::ShopRefused);
        for change in &changes {
            let report = ChangeReport {
                id: change.id.clone(),
                subject: "A change made offline".into(),
                outcome: shop_types::offline::ChangeOutcome::Refused {
                    problem: why.clone(),
                },
            };
            idb::put(idb::CONFLICTS, &report).await?;
        }
        idb::delete(idb::PENDING, &ids).await?;
    } else {
        broadcast_status().await;
        return Err(JsValue::from_str("the shop is not answering yet"));
    }
    broadcast_status().await;
    Ok(())
}

async fn status() -> WorkerReport {
    let pending: Vec<OfflineChange> = idb::all(idb::PENDING).await.unwrap_or_default();
    let conflicts: Vec<ChangeReport> = idb::all(idb::CONFLICTS).await.unwrap_or_default();
    WorkerReport::Status {
        pending: pending.len() as u32,
        conflicts,
    }
}

async fn broadcast(report: &WorkerReport) {
    let Ok(json) = serde_json::to_string(report) else {
        return;
    };
    let options = web_sys::ClientQueryOptions::new();
    options.set_type(web_sys::ClientType::Window);
    let Ok(found) = JsFuture::from(scope().clients().match_all_with_options(&options)).await else {
        return;
    };
    let clients: Array = found.unchecked_into();
    for client in clients.iter() {
        if let Ok(client) = client.dyn_into::<web_sys::Client>() {
            let _ = client.post_message(&JsValue::from_str(&json));
        }
    }
}

async fn broadcast_status() {
    broadcast(&status().await).await;
}

/// Keeps pages (and pictures) for offline reading; returns how many were kept.
async fn save_urls(caches: &Caches, urls: &[String]) -> u32 {
    let mut saved = 0;
    for url in urls {
        if !shop_types::paths::is_same_site_path(url) && !same_origin(url) {
            continue;
        }
        let Ok(request) = Request::new_with_str(url) else {
            continue;
        };
        let (path, _) = path_of(&request.url());
        let cache = if path.starts_with("/media/") {
            &caches.media
        } else if policy::page_kind(&path) == PageKind::Catalog {
            &caches.saved
        } else {
            continue;
        };
        if let Ok(response) = network(&request).await
            && keepable(&response)
        {
            store(cache, &request, &response, None).await;
            saved += 1;
        }
    }
    saved
}

async fn remember(products: Vec<ProductSummary>) -> Result<(), JsValue> {
    let now = js_sys::Date::now();
    for product in products {
        let seen = Seen {
            id: product.id.clone(),
            seen_at: now,
            product,
        };
        idb::put(idb::PRODUCTS, &seen).await?;
    }
    let mut all: Vec<Seen> = idb::all(idb::PRODUCTS).await?;
    if all.len() as u32 > MAX_PRODUCTS {
        all.sort_by(|a, b| b.seen_at.total_cmp(&a.seen_at));
        let old: Vec<String> = all
            .split_off(MAX_PRODUCTS as usize)
            .into_iter()
            .map(|s| s.id)
            .collect();
        idb::delete(idb::PRODUCTS, &old).await?;
    }
    Ok(())
}

/// A message from a page (`WorkerCommand` as JSON).
#[wasm_bindgen]
pub fn on_message(version: String, event: ExtendableMessageEvent) -> Promise {
    future_to_promise(async move {
        let Some(text) = event.data().as_string() else {
            return Ok(JsValue::UNDEFINED);
        };
        let Ok(command) = serde_json::from_str::<WorkerCommand>(&text) else {
            return Ok(JsValue::UNDEFINED);
        };
        let caches = Caches::of(&version);
        match command {
            WorkerCommand::Replay => {
                // Offline is not a failure here: Background Sync (or the next start) retries.
                let _ = replay().await;
                broadcast_status().await;
            }
            WorkerCommand::Status => broadcast_status().await,
            WorkerCommand::DismissConflicts => {
                idb::clear(idb::CONFLICTS).await?;
                broadcast_status().await;
            }
            WorkerCommand::SaveForOffline { urls } => {
                let urls: Vec<String> = urls.into_iter().take(200).collect();
                let saved = save_urls(&caches, &urls).await;
                broadcast(&WorkerReport::Saved {
                    asked: urls.len() as u32,
                    saved,
                })
                .await;
            }
            WorkerCommand::Remember { products } => {
                remember(products.into_iter().take(100).collect()).await?;
            }
            WorkerCommand::Activate => {
                JsFuture::from(scope().skip_waiting()?).await?;
            }
        }
        Ok(JsValue::UNDEFINED)
    })
}

/// Background Sync: the connection is back.
#[wasm_bindgen]
pub fn on_sync(tag: String) -> Promise {
    future_to_promise(async move {
        if tag == SYNC_TAG {
            replay().await?;
        }
        Ok(JsValue::UNDEFINED)
    })
}

/// A push message: shows it as a notification.
#[wasm_bindgen]
pub fn on_push(event: PushEvent) -> Promise {
    future_to_promise(async move {
        let message = event
            .data()
            .map(|data| data.text())
            .filter(|t| !t.is_empty())
            .and_then(|text| serde_json::from_str::<PushMessage>(&text).ok())
            .unwrap_or_else(|| PushMessage {
                title: "News from the shop".into(),
                body: String::new(),
                url: "/".into(),
                tag: "shop".into(),
            });
        let options = web_sys::NotificationOptions::new();
        options.set_body(&message.body);
        options.set_tag(&message.tag);
        options.set_icon("/icons/192.png");
        // Only same-site paths are opened on click.
        let url = if shop_types::paths::is_same_site_path(&message.url) {
            message.url.clone()
        } else {
            "/".into()
        };
        options.set_data(&JsValue::from_str(&url));
        let shown = scope()
            .registration()
            .show_notification_with_options(&message.title, &options)?;
        JsFuture::from(shown).await?;
        Ok(JsValue::UNDEFINED)
    })
}

/// A notification was clicked: focuses a window on its page, or opens one.
#[wasm_bindgen]
pub fn on_notification_click(event: NotificationEvent) -> Promise {
    future_to_promise(async move {
        let notification = event.notification();
        notification.close();
        let url = notification
            .data()
            .as_string()
            .unwrap_or_else(|| "/".into());
        let options = web_sys::ClientQueryOptions::new();
        options.set_type(web_sys::ClientType::Window);
        let clients = scope().clients();
        let found: Array = JsFuture::from(clients.match_all_with_options(&options))
            .await?
            .unchecked_into();
        for client in found.iter() {
            let Ok(window) = client.dyn_into::<web_sys::WindowClient>() else {
                continue;
            };
            let (path, query) = path_of(&window.url());
            if format!("{path}{query}") == url {
                JsFuture::from(window.focus()?).await?;
                return Ok(JsValue::UNDEFINED);
            }
        }
        JsFuture::from(clients.open_window(&url)).await?;
        Ok(JsValue::UNDEFINED)
    })
}

/// Replays waiting changes when the worker starts (a browser without Background Sync wakes
/// the worker on the next page load).
#[wasm_bindgen]
pub fn on_start() {
    spawn_local(async {
        let _ = replay().await;
    });
}
