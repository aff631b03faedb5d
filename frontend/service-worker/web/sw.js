// The service worker's bootstrap. Listeners are registered synchronously during this script's
// first evaluation (browsers require it); each event is handed to the Rust module. The build
// (web/stamp.sh) replaces the placeholders with the version, the worker's file names and the
// app build's /pkg files; the version in the URLs keeps an HTTP cache from pairing new glue
// with an old module.
'use strict';
const VERSION = '__SHOP_SW_VERSION__';
const GLUE = '/sw/__SHOP_SW_GLUE__?v=' + VERSION;
const WASM = '/sw/__SHOP_SW_WASM__?v=' + VERSION;
const BUILD_FILES = __SHOP_SW_BUILD_FILES__;

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
  wasm_bindgen.on_start();
  return wasm_bindgen;
})();

self.addEventListener('install', (event) => {
  event.waitUntil(ready.then((w) => w.on_install(VERSION, [...BUILD_FILES, GLUE])));
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

self.addEventListener('message', (event) => {
  event.waitUntil(ready.then((w) => w.on_message(VERSION, event)));
});

self.addEventListener('sync', (event) => {
  event.waitUntil(ready.then((w) => w.on_sync(event.tag)));
});

self.addEventListener('push', (event) => {
  event.waitUntil(ready.then((w) => w.on_push(event)));
});

self.addEventListener('notificationclick', (event) => {
  event.waitUntil(ready.then((w) => w.on_notification_click(event)));
});

ready.then((w) => { self.__shopWants = w.wants; });
