//! A small promise-shaped wrapper over IndexedDB, which the worker keeps its offline state in:
//! changes waiting to be sent (`pending`), conflicts not yet read (`conflicts`) and the
//! products seen on this device (`products`). Values are the shared types as JSON objects.

use js_sys::{Array, Promise};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbRequest, IdbTransactionMode};

const NAME: &str = "shop-offline";
const VERSION: u32 = 1;
pub const PENDING: &str = "pending";
pub const CONFLICTS: &str = "conflicts";
pub const PRODUCTS: &str = "products";

/// Resolves with a request's result, or rejects with its error.
fn settle(request: &IdbRequest) -> Promise {
    let request = request.clone();
    Promise::new(&mut |resolve, reject| {
        let done = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(
                &JsValue::UNDEFINED,
                &done.result().unwrap_or(JsValue::UNDEFINED),
            );
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move || {
            let error = failed
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or_else(|| JsValue::from_str("IndexedDB request failed"));
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    })
}

/// Opens (and on first use creates) the worker's database.
pub async fn open() -> Result<IdbDatabase, JsValue> {
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let factory = scope
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("no IndexedDB"))?;
    let request = factory.open_with_u32(NAME, VERSION)?;
    let upgrading = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        let Ok(result) = upgrading.result() else {
            return;
        };
        let db: IdbDatabase = result.unchecked_into();
        let names = db.object_store_names();
        for store in [PENDING, CONFLICTS, PRODUCTS] {
            if !names.contains(store) {
                let params = IdbObjectStoreParameters::new();
                params.set_key_path(&JsValue::from_str("id"));
                let _ = db.create_object_store_with_optional_parameters(store, &params);
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db = JsFuture::from(settle(&request)).await?;
    Ok(db.unchecked_into())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(value).map_err(|e| JsValue::from_str(&e.to_string()))?;
    js_sys::JSON::parse(&json)
}

fn from_js<T: DeserializeOwned>(value: &JsValue) -> Option<T> {
    let json = js_sys::JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}

/// Stores `value` (an object with an `id`) in `store`, replacing one with the same id.
pub async fn put<T: Serialize>(store: &str, value: &T) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)?;
    let request = tx.object_store(store)?.put(&to_js(value)?)?;
    JsFuture::from(settle(&request)).await?;
    db.close();
    Ok(())
}

/// Every value in `store` that reads as `T` (others are skipped).
pub async fn all<T: DeserializeOwned>(store: &str) -> Result<Vec<T>, JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str(store)?;
    let request = tx.object_store(store)?.get_all()?;
    let values: Array = JsFuture::from(settle(&request)).await?.unchecked_into();
    db.close();
    Ok(values.iter().filter_map(|v| from_js(&v)).collect())
}

/// Deletes the values with these ids from `store`.
pub async fn delete(store: &str, ids: &[String]) -> Result<(), JsValue> {
    if ids.is_empty() {
        return Ok(());
    }
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)?;
    let objects = tx.object_store(store)?;
    let mut last = None;
    for id in ids {
        last = Some(objects.delete(&JsValue::from_str(id))?);
    }
    if let Some(request) = last {
        JsFuture::from(settle(&request)).await?;
    }
    db.close();
    Ok(())
}

/// Empties `store`.
pub async fn clear(store: &str) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)?;
    let request = tx.object_store(store)?.clear()?;
    JsFuture::from(settle(&request)).await?;
    db.close();
    Ok(())
}
