//! The browser side of the installable shop (compiled for `hydrate` only): talking to the
//! service worker, the install prompt, connectivity, push subscriptions. Components in
//! `banners` and `push` call these from effects, which run only in the browser.

use js_sys::{Function, Promise, Reflect};
use serde::Deserialize;
use shop_types::offline::{WorkerCommand, WorkerReport};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    static INSTALL_EVENT: RefCell<Option<web_sys::Event>> = const { RefCell::new(None) };
    static INSTALL_LISTENERS: RefCell<Vec<Box<dyn Fn()>>> = const { RefCell::new(Vec::new()) };
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn has(target: &JsValue, name: &str) -> bool {
    Reflect::has(target, &JsValue::from_str(name)).unwrap_or(false)
}

fn workers() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = window()?.navigator();
    has(&navigator, "serviceWorker").then(|| navigator.service_worker())
}

/// Keeps the browser's install offer (`beforeinstallprompt`) for the app to show at a better
/// moment. Called by the browser entry before hydration, so an early event is not missed.
pub fn capture_install_prompt() {
    let Some(window) = window() else { return };
    let on_prompt = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        event.prevent_default();
        INSTALL_EVENT.with(|e| *e.borrow_mut() = Some(event));
        INSTALL_LISTENERS.with(|l| l.borrow().iter().for_each(|f| f()));
    });
    let _ = window.add_event_listener_with_callback(
        "beforeinstallprompt",
        on_prompt.as_ref().unchecked_ref(),
    );
    on_prompt.forget();
    let on_installed = Closure::<dyn FnMut()>::new(|| {
        INSTALL_EVENT.with(|e| *e.borrow_mut() = None);
        set_local("shop_installed", "1");
    });
    let _ = window
        .add_event_listener_with_callback("appinstalled", on_installed.as_ref().unchecked_ref());
    on_installed.forget();
}

/// Whether the browser offered installation (and it was not used yet).
pub fn install_offer_available() -> bool {
    INSTALL_EVENT.with(|e| e.borrow().is_some())
}

/// Calls `f` when the browser offers installation.
pub fn on_install_offer(f: impl Fn() + 'static) {
    INSTALL_LISTENERS.with(|l| l.borrow_mut().push(Box::new(f)));
}

/// Shows the browser's install dialog; true if the shopper accepted.
pub async fn show_install_dialog() -> bool {
    let Some(event) = INSTALL_EVENT.with(|e| e.borrow_mut().take()) else {
        return false;
    };
    let prompt = Reflect::get(&event, &JsValue::from_str("prompt"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(prompt) = prompt
        && let Ok(promise) = prompt.call0(&event)
    {
        let _ = JsFuture::from(Promise::from(promise)).await;
    }
    let choice = Reflect::get(&event, &JsValue::from_str("userChoice"))
        .ok()
        .map(Promise::from);
    match choice {
        Some(choice) => match JsFuture::from(choice).await {
            Ok(result) => Reflect::get(&result, &JsValue::from_str("outcome"))
                .ok()
                .and_then(|o| o.as_string())
                .is_some_and(|o| o == "accepted"),
            Err(_) => false,
        },
        None => false,
    }
}

/// True in the app window opened from the home screen.
pub fn running_installed() -> bool {
    let Some(window) = window() else { return false };
    let standalone = window
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    let ios_standalone = Reflect::get(&window.navigator(), &JsValue::from_str("standalone"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    standalone || ios_standalone
}

/// Safari on iPhone or iPad, which installs through Share → Add to Home Screen only.
pub fn is_ios_safari() -> bool {
    let Some(window) = window() else { return false };
    let agent = window.navigator().user_agent().unwrap_or_default();
    let apple_mobile = agent.contains("iPhone") || agent.contains("iPad");
    apple_mobile && !agent.contains("CriOS") && !agent.contains("FxiOS")
}

/// A value from `localStorage`.
pub fn local(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Stores a value in `localStorage` (ignored where storage is unavailable).
pub fn set_local(key: &str, value: &str) {
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Whether the browser believes it is online.
pub fn is_online() -> bool {
    window().is_none_or(|w| w.navigator().on_line())
}

/// Calls `f(online)` whenever connectivity changes.
pub fn on_connectivity(f: impl Fn(bool) + 'static) {
    let Some(window) = window() else { return };
    let f = std::rc::Rc::new(f);
    for (name, online) in [("online", true), ("offline", false)] {
        let f = f.clone();
        let listener = Closure::<dyn FnMut()>::new(move || f(online));
        let _ = window.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        listener.forget();
    }
}

/// Sends a command to the service worker that controls this page (none: nothing happens).
pub fn send(command: &WorkerCommand) {
    let Some(controller) = workers().and_then(|w| w.controller()) else {
        return;
    };
    if let Ok(json) = serde_json::to_string(command) {
        let _ = controller.post_message(&JsValue::from_str(&json));
    }
}

/// Calls `f` with every report the service worker sends to this page.
pub fn on_report(f: impl Fn(WorkerReport) + 'static) {
    let Some(container) = workers() else { return };
    let listener =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(text) = event.data().as_string()
                && let Ok(report) = serde_json::from_str::<WorkerReport>(&text)
            {
                f(report);
            }
        });
    let _ =
        container.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    listener.forget();
}

/// Whether a service worker controls this page (offline features work).
pub fn controlled() -> bool {
    workers().and_then(|w| w.controller()).is_some()
}

/// Calls `f` when a new version of the worker is installed and waiting while an older one
/// controls this page: the moment to offer "reload".
pub fn on_update_ready(f: impl Fn() + 'static) {
    let Some(container) = workers() else { return };
    let f = std::rc::Rc::new(f);
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(ready) = container.ready() else { return };
        let Ok(registration) = JsFuture::from(ready).await else {
            return;
        };
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        if registration.waiting().is_some() && container.controller().is_some() {
            f();
        }
        let watched = registration.clone();
        let f2 = f.clone();
        let on_found = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = watched.installing() else {
                return;
            };
            let f3 = f2.clone();
            let worker = installing.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                let has_controller = workers().and_then(|w| w.controller()).is_some();
                if worker.state() == web_sys::ServiceWorkerState::Installed && has_controller {
                    f3();
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
    });
}

/// Lets the waiting version take over, then reloads the page once it controls it.
pub fn activate_update() {
    let Some(container) = workers() else { return };
    let reload = Closure::<dyn FnMut()>::new(|| {
        if let Some(w) = window() {
            let _ = w.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(ready) = container.ready() else { return };
        if let Ok(registration) = JsFuture::from(ready).await {
            let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
            if let Some(waiting) = registration.waiting()
                && let Ok(json) = serde_json::to_string(&WorkerCommand::Activate)
            {
                let _ = waiting.post_message(&JsValue::from_str(&json));
            }
        }
    });
}

/// Same-site links to products and the pictures inside the page's main area (what a category
/// page shows), for "save for offline".
pub fn page_links_and_pictures() -> Vec<String> {
    let Some(document) = window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let mut urls = Vec::new();
    if let Ok(links) = document.query_selector_all("main a[href^='/products/']") {
        for i in 0..links.length() {
            if let Some(a) = links
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                && let Some(href) = a.get_attribute("href")
            {
                urls.push(href);
            }
        }
    }
    if let Ok(images) = document.query_selector_all("main img") {
        for i in 0..images.length() {
            if let Some(img) = images
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlImageElement>().ok())
            {
                let src = img.current_src();
                if !src.is_empty() {
                    urls.push(src);
                }
            }
        }
    }
    urls.sort();
    urls.dedup();
    urls
}

/// This page's path and query.
pub fn current_url() -> String {
    window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.pathname().ok()?, l.search().ok()?))
        })
        .unwrap_or_else(|| "/".into())
}

/// A browser push subscription's parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceSubscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

#[derive(Deserialize)]
struct SubscriptionJson {
    endpoint: String,
    keys: SubscriptionKeys,
}

#[derive(Deserialize)]
struct SubscriptionKeys {
    p256dh: String,
    auth: String,
}

/// Whether this browser can receive push messages.
pub fn push_supported() -> bool {
    window().is_some_and(|w| has(&w, "PushManager") && has(&w, "Notification"))
        && workers().is_some()
}

async fn registration() -> Result<web_sys::ServiceWorkerRegistration, String> {
    let container = workers().ok_or("This browser has no service workers.")?;
    let ready = container
        .ready()
        .map_err(|_| "The offline helper is not running yet; reload the page.".to_owned())?;
    JsFuture::from(ready)
        .await
        .map(|r| r.unchecked_into())
        .map_err(|_| "The offline helper is not running yet; reload the page.".to_owned())
}

fn read_subscription(value: JsValue) -> Option<DeviceSubscription> {
    if value.is_null() || value.is_undefined() {
        return None;
    }
    let json = js_sys::JSON::stringify(&value).ok()?.as_string()?;
    let parsed: SubscriptionJson = serde_json::from_str(&json).ok()?;
    Some(DeviceSubscription {
        endpoint: parsed.endpoint,
        p256dh: parsed.keys.p256dh,
        auth: parsed.keys.auth,
    })
}

/// This device's current push subscription, if any.
pub async fn current_subscription() -> Option<DeviceSubscription> {
    let registration = registration().await.ok()?;
    let manager = registration.push_manager().ok()?;
    let value = JsFuture::from(manager.get_subscription().ok()?)
        .await
        .ok()?;
    read_subscription(value)
}

/// Asks for permission and subscribes this device with the shop's public key.
pub async fn subscribe(public_key: &str) -> Result<DeviceSubscription, String> {
    let permission = web_sys::Notification::request_permission()
        .map_err(|_| "Notifications are not available in this browser.".to_owned())?;
    let answer = JsFuture::from(permission)
        .await
        .ok()
        .and_then(|a| a.as_string());
    if answer.as_deref() != Some("granted") {
        return Err("Notifications are blocked for this shop in your browser's settings.".into());
    }
    let registration = registration().await?;
    let manager = registration
        .push_manager()
        .map_err(|_| "This browser cannot receive push messages.".to_owned())?;
    let options = web_sys::PushSubscriptionOptionsInit::new();
    options.set_user_visible_only(true);
    options.set_application_server_key(&JsValue::from_str(public_key));
    let promise = manager
        .subscribe_with_options(&options)
        .map_err(|_| "The browser refused the subscription.".to_owned())?;
    let value = JsFuture::from(promise).await.map_err(|_| {
        "The browser's push service could not be reached; try again later.".to_owned()
    })?;
    read_subscription(value).ok_or_else(|| "The browser gave no subscription.".into())
}

/// Ends this device's subscription in the browser.
pub async fn unsubscribe() {
    let Some(registration) = registration().await.ok() else {
        return;
    };
    let Ok(manager) = registration.push_manager() else {
        return;
    };
    let Ok(promise) = manager.get_subscription() else {
        return;
    };
    if let Ok(value) = JsFuture::from(promise).await
        && let Ok(sub) = value.dyn_into::<web_sys::PushSubscription>()
        && let Ok(done) = sub.unsubscribe()
    {
        let _ = JsFuture::from(done).await;
    }
}

/// While offline, links to catalog pages load as whole pages, which the service worker answers
/// from what it kept; the router's in-app navigation would ask the server for data instead.
pub fn load_catalog_links_whole_when_offline() {
    let Some(document) = window().and_then(|w| w.document()) else {
        return;
    };
    let listener = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(|event: web_sys::MouseEvent| {
        if is_online() || !controlled() || event.default_prevented() || event.button() != 0 {
            return;
        }
        if event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key() {
            return;
        }
        let Some(target) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Ok(Some(link)) = target.closest("a[href]") else {
            return;
        };
        if link.has_attribute("target") || link.has_attribute("download") {
            return;
        }
        let Some(href) = link.get_attribute("href") else {
            return;
        };
        let path = href.split(['?', '#']).next().unwrap_or("");
        let catalog = path == "/"
            || path == "/search"
            || ["/products/", "/categories/", "/collections/"]
                .iter()
                .any(|p| path.starts_with(p));
        if shop_types::paths::is_same_site_path(&href) && catalog {
            event.prevent_default();
            event.stop_immediate_propagation();
            if let Some(w) = window() {
                let _ = w.location().assign(&href);
            }
        }
    });
    let _ = document.add_event_listener_with_callback_and_bool(
        "click",
        listener.as_ref().unchecked_ref(),
        true,
    );
    listener.forget();
}
