// The service worker's bootstrap. Listeners are registered synchronously during this script's
// first evaluation (browsers require it); each event is handed to the Rust module. The build
// (web/stamp.sh) replaces the placeholders with the version and the worker's file names; the
// version in the URLs keeps an HTTP cache from pairing new glue with an old module.
'use strict';
const VERSION = '__SHOP_SW_VERSION__';
const GLUE = '/sw/__SHOP_SW_GLUE__?v=' + VERSION;
const WASM = '/sw/__SHOP_SW_WASM__?v=' + VERSION;

importScripts(GLUE);

// The module is loaded from this build's cache when it is there, so a worker woken while the
// network is down can still start; otherwise from the network (and cached for next time).
const ready = (async () => {
  const cache = await caches.open('shop-shell-' + VERSION);
  let response = await cache.match(WASM);
  if (!response) {
    response = await fetch(WASM);
    await cache.put(WASM, response.clone());
  }
  await wasm_bindgen(response);
  return wasm_bindgen;
})();

self.addEventListener('install', (event) => {
  event.waitUntil(ready.then((w) => w.on_install(VERSION)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(ready.then((w) => w.on_activate(VERSION)));
});

self.addEventListener('fetch', (event) => {
  // Decided here only while the module loads; afterwards the Rust policy decides.
  const wants = self.__shopWants ?? ((e) => e.request.mode === 'navigate' && e.request.method === 'GET');
  if (!wants(event)) return;
  event.respondWith(ready.then((w) => w.on_fetch(VERSION, event)));
});

ready.then((w) => { self.__shopWants = w.wants; });
