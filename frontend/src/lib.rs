//! The browser entry point: hydrates the server-rendered page with the same `App`, then
//! registers the service worker (built by Trunk from `frontend/service-worker`).

#![recursion_limit = "256"]

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use wasm_bindgen::prelude::{Closure, wasm_bindgen};
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(on_panic));
    remember_link_clicks();
    // Before hydration, so the browser's early install offer is kept for the app.
    app::pwa::client::capture_install_prompt();
    // `hydrate_lazy`: a lazily loaded route (see app::shell::pages) is fetched before the page it
    // renders is hydrated.
    leptos::mount::hydrate_lazy(app::App);
    register_service_worker();
}

/// Registers `/sw.js` where the browser supports service workers. A failure (an old browser,
/// a development build without the worker) only costs offline support, so it is logged, not
/// raised.
fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let supported =
        js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    if !supported {
        return;
    }
    let registration = navigator.service_worker().register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = wasm_bindgen_futures::JsFuture::from(registration).await {
            web_sys::console::warn_2(&JsValue::from_str("service worker not registered:"), &e);
        }
    });
}

thread_local! {
    /// The address of the last link followed in the page, and when (ms since the epoch).
    static LAST_LINK: RefCell<Option<(String, f64)>> = const { RefCell::new(None) };
}

/// Set once the module has panicked: its state can no longer be trusted.
static PANICKED: AtomicBool = AtomicBool::new(false);

/// How long after a click a panic counts as that navigation's.
const NAVIGATION_WINDOW_MS: f64 = 15_000.0;

/// Listens, before anything else in the page (the window, capture phase), to link clicks and
/// form submissions: notes the address of every link followed and, once the module has
/// panicked, keeps the app's own handlers out so the browser follows links and posts forms as
/// plain HTML.
fn remember_link_clicks() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_click = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        if PANICKED.load(Ordering::Relaxed) {
            event.stop_immediate_propagation();
            return;
        }
        let link = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        if let Some(link) = link {
            LAST_LINK.with(|l| *l.borrow_mut() = Some((link.href(), js_sys::Date::now())));
        }
    });
    let on_submit = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        if PANICKED.load(Ordering::Relaxed) {
            event.stop_immediate_propagation();
        }
    });
    for (kind, listener) in [("click", &on_click), ("submit", &on_submit)] {
        let _ = window.add_event_listener_with_callback_and_bool(
            kind,
            listener.as_ref().unchecked_ref(),
            true,
        );
    }
    on_click.forget();
    on_submit.forget();
}

/// A panic leaves the module's state broken. Logged as before; from then on links and forms
/// work as plain HTML (see `remember_link_clicks`); and when it happens while following a link
/// (most often a page's code chunk that could not be downloaded, e.g. offline), the page asked
/// for is loaded in full: the server or the service worker answers it.
fn on_panic(info: &std::panic::PanicHookInfo) {
    console_error_panic_hook::hook(info);
    PANICKED.store(true, Ordering::Relaxed);
    let target = LAST_LINK
        .try_with(|l| l.try_borrow().ok().and_then(|l| l.clone()))
        .ok()
        .flatten()
        .filter(|(_, at)| js_sys::Date::now() - at < NAVIGATION_WINDOW_MS);
    if let (Some((href, _)), Some(window)) = (target, web_sys::window()) {
        let _ = window.location().assign(&href);
    }
}
