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
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = batch)]
        pub fn batch(stores: Vec<String>, ops: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = all)]
        pub fn all(store: &str, prefix: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = count)]
        pub fn count(store: &str, prefix: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = migrateDraft)]
        pub fn migrate_draft(user: &str, object: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = uchetStore, js_name = forgetUser)]
        pub fn forget_user(prefix: &str) -> Result<js_sys::Promise, JsValue>;
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

/// A condition on what a key holds now, checked inside the write's transaction.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct When {
    op: &'static str,
    f: &'static str,
    v: Compared,
}

/// What a condition compares a stored field with: a number or a text. Written by hand, not
/// as `serde_json::Value`, whose code would weigh on the bundle every phone loads first.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Compared {
    Number(i64),
    Text(String),
    Nothing,
}

impl From<i64> for Compared {
    fn from(v: i64) -> Compared {
        Compared::Number(v)
    }
}

impl From<String> for Compared {
    fn from(v: String) -> Compared {
        Compared::Text(v)
    }
}

impl When {
    /// Nothing stored under the key, or what is stored has `field` at most `value` (a later
    /// write of the same field wins, whichever tab it came from).
    pub fn not_newer(field: &'static str, value: i64) -> When {
        When { op: "le", f: field, v: value.into() }
    }

    /// Something is stored with `field` equal to `value` (it is still what was read).
    pub fn still(field: &'static str, value: impl Into<Compared>) -> When {
        When { op: "eq", f: field, v: value.into() }
    }

    /// Nothing is stored under the key.
    pub fn absent() -> When {
        When { op: "absent", f: "", v: Compared::Nothing }
    }
}

/// One write of a [`batch`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Op {
    s: &'static str,
    k: String,
    /// JSON text to put; `None` deletes.
    v: Option<String>,
    when: Option<When>,
}

impl Op {
    pub fn put<T: Serialize>(store: Store, key: String, value: &T) -> Result<Op, StoreError> {
        Ok(Op { s: store.name(), k: key, v: Some(encode(value)?), when: None })
    }

    pub fn delete(store: Store, key: String) -> Op {
        Op { s: store.name(), k: key, v: None, when: None }
    }

    /// Applies only while what the key holds meets `when`.
    pub fn when(self, when: When) -> Op {
        Op { when: Some(when), ..self }
    }
}

/// Writes across stores in one transaction: every op is applied (those whose condition
/// holds) or none is. Other tabs hear of it (`uchet-store`).
pub async fn batch(stores: &[Store], ops: &[Op]) -> Result<(), StoreError> {
    if ops.is_empty() {
        return Ok(());
    }
    let text = serde_json::to_string(ops).map_err(|e| StoreError::Data(e.to_string()))?;
    #[cfg(feature = "hydrate")]
    {
        let names = stores.iter().map(|s| s.name().to_string()).collect();
        js::wait(js::batch(names, &text)).await?;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (stores, text);
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

/// Moves a building's draft kept the old way (one record for the building) to a record per
/// field, in the script: the app carries no reader for the old format.
pub async fn migrate_draft(user_id: i64, object_id: i64) -> Result<(), StoreError> {
    #[cfg(feature = "hydrate")]
    {
        js::wait(js::migrate_draft(&user_id.to_string(), &object_id.to_string())).await?;
    }
    let _ = (user_id, object_id);
    Ok(())
}

/// Forgets what the device keeps of a user who signs out — kept sheets, small facts, past
/// sends, cached pages and files — but not what they typed and did not send (field drafts,
/// the queue); returns how many such items stay for their next sign-in.
pub async fn forget_user(user_id: i64) -> Result<usize, StoreError> {
    #[cfg(feature = "hydrate")]
    {
        let v = js::wait(js::forget_user(&prefix(user_id))).await?;
        return Ok(v.as_f64().unwrap_or(0.0) as usize);
    }
    #[allow(unreachable_code)]
    {
        let _ = user_id;
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
