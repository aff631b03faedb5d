//! The browser entry point: hydrates the server-rendered page with the same `App`, then
//! registers the service worker (built by Trunk from `frontend/service-worker`).

#![recursion_limit = "256"]

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Before hydration, so the browser's early install offer is kept for the app.
    app::pwa::client::capture_install_prompt();
    leptos::mount::hydrate_body(app::App);
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
