//! The device's IndexedDB, through the `uchetStore` script (`public/store.js`, loaded before
//! the app): a few promise-returning functions are all the wasm needs, and the script stays
//! small enough to read. Values are JSON; keys begin with the user's id (`key`).

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The object stores `store.js` creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    /// Building sheets and lists, for opening with no network.
    Sheets,
    /// Values typed and not yet sent, per building.
    Drafts,
    /// Entries waiting for the network.
    Queue,
    /// Small facts: when the last send succeeded.
    Meta,
}

impl Store {
    pub fn name(self) -> &'static str {
        match self {
            Store::Sheets => "sheets",
            Store::Drafts => "drafts",
            Store::Queue => "queue",
            Store::Meta => "meta",
        }
    }
}

/// A key of one user's item: `{user}:{name}`.
pub fn key(user_id: i64, name: &str) -> String {
    format!("{}{name}", prefix(user_id))
}

/// What all of one user's keys begin with.
pub fn prefix(user_id: i64) -> String {
    format!("{user_id}:")
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// IndexedDB refused (no space, private mode, script missing).
    #[error("device storage: {0}")]
    Device(String),
    /// What was stored is not what this version of the app reads.
    #[error("stored data: {0}")]
    Data(String),
}

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = get)]
        pub fn get(store: &str, key: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = put)]
        pub fn put(store: &str, key: &str, value: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = putMany)]
        pub fn put_many(
            store: &str,
            keys: Vec<String>,
            values: Vec<String>,
        ) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = deleteMany)]
        pub fn delete_many(store: &str, keys: Vec<String>) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = all)]
        pub fn all(store: &str, prefix: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = count)]
        pub fn count(store: &str, prefix: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = keepPage)]
        pub fn keep_page(url: &str) -> Result<js_sys::Promise, JsValue>;
    }

    /// Waits for a store call.
    pub async fn wait(
        call: Result<js_sys::Promise, JsValue>,
    ) -> Result<JsValue, super::StoreError> {
        let promise = call.map_err(describe)?;
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(describe)
    }

    fn describe(e: JsValue) -> super::StoreError {
        let text = js_sys::Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "IndexedDB".into());
        super::StoreError::Device(text)
    }
}

/// Read as bytes, as the server functions' answers are: `from_str` would compile every
/// kept type's decoder a second time into the bundle every page loads.
fn decode<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_slice(text.as_bytes()).map_err(|e| StoreError::Data(e.to_string()))
}

fn encode<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Data(e.to_string()))
}

pub async fn get<T: DeserializeOwned>(store: Store, key: &str) -> Result<Option<T>, StoreError> {
    #[cfg(feature = "hydrate")]
    {
        let v = js::wait(js::get(store.name(), key)).await?;
        return match v.as_string() {
            Some(text) => decode(&text).map(Some),
            None => Ok(None),
        };
    }
    #[allow(unreachable_code)]
    {
        let _ = (store, key, decode::<T>);
        Ok(None)
    }
}

pub async fn put<T: Serialize>(store: Store, key: &str, value: &T) -> Result<(), StoreError> {
    let text = encode(value)?;
    #[cfg(feature = "hydrate")]
    {
        js::wait(js::put(store.name(), key, &text)).await?;
    }
    let _ = (store, key, text);
    Ok(())
}

/// Writes many items in one transaction: all are kept or none.
pub async fn put_many<T: Serialize>(store: Store, items: &[(String, T)]) -> Result<(), StoreError> {
    let keys: Vec<String> = items.iter().map(|(k, _)| k.clone()).collect();
    let values = items
        .iter()
        .map(|(_, v)| encode(v))
        .collect::<Result<Vec<_>, _>>()?;
    #[cfg(feature = "hydrate")]
    {
        js::wait(js::put_many(store.name(), keys, values)).await?;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (store, keys, values);
    Ok(())
}

pub async fn delete_many(store: Store, keys: Vec<String>) -> Result<(), StoreError> {
    #[cfg(feature = "hydrate")]
    {
        js::wait(js::delete_many(store.name(), keys)).await?;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (store, keys);
    Ok(())
}

/// Every item whose key begins with `prefix`, in key order. An item this version cannot
/// read is left in place and skipped, never deleted.
pub async fn all<T: DeserializeOwned>(store: Store, prefix: &str) -> Result<Vec<T>, StoreError> {
    #[cfg(feature = "hydrate")]
    {
        let v = js::wait(js::all(store.name(), prefix)).await?;
        let items = js_sys::Array::from(&v);
        return Ok(items
            .iter()
            .filter_map(|item| item.as_string())
            .filter_map(|text| decode(&text).ok())
            .collect());
    }
    #[allow(unreachable_code)]
    {
        let _ = (store, prefix);
        Ok(Vec::new())
    }
}

pub async fn count(store: Store, prefix: &str) -> Result<usize, StoreError> {
    #[cfg(feature = "hydrate")]
    {
        let v = js::wait(js::count(store.name(), prefix)).await?;
        return Ok(v.as_f64().unwrap_or(0.0) as usize);
    }
    #[allow(unreachable_code)]
    {
        let _ = (store, prefix);
        Ok(0)
    }
}

/// Keeps a page (and the files it loads) for opening with no network.
pub async fn keep_page(url: &str) -> Result<(), StoreError> {
    #[cfg(feature = "hydrate")]
    {
        js::wait(js::keep_page(url)).await?;
    }
    let _ = url;
    Ok(())
}
