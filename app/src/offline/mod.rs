//! Working with no network: what the device keeps (IndexedDB through `store`) and the queue
//! of typed readings that goes to the server when it can (`sync`). Only the browser has a
//! device store; on the server these calls do nothing.

pub mod store;
pub mod sync;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::errors::AppError;

/// The device clock, UTC seconds.
pub fn device_now() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().timestamp()
    }
}

/// The device clock, UTC milliseconds: two typings of one field a second apart are told
/// apart.
pub fn device_now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().timestamp_millis()
    }
}

/// Today on the device clock (UTC date): the browser has no system clock chrono can read.
pub fn device_today() -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp(device_now(), 0)
        .unwrap_or_default()
        .date_naive()
}

/// An entry id made on the device for one send, unique across devices and sends: the
/// screen, the device clock in milliseconds, a random part and, last, the meter.
pub fn new_entry_id(screen: &str, meter_id: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let now = js_sys::Date::now() as u64;
        let salt = (js_sys::Math::random() * 1e12) as u64;
        format!("{screen}-{now}-{salt}-{meter_id}")
    }
    #[cfg(not(feature = "hydrate"))]
    {
        format!(
            "{screen}-{}-{meter_id}",
            chrono::Utc::now().timestamp_millis()
        )
    }
}

/// A value and whether it came from the device's copy because the server was out of reach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kept<T> {
    pub value: T,
    pub from_device: bool,
}

/// The server's answer, or — when the network failed — the copy kept on the device. The
/// future is `Send` (resources need it); the browser's store is reached through a wrapper
/// that keeps its future on the one browser thread.
pub async fn or_kept<T: DeserializeOwned>(
    fetched: Result<T, AppError>,
    kept_in: store::Store,
    key: &str,
) -> Result<Kept<T>, AppError> {
    match fetched {
        Ok(value) => Ok(Kept {
            value,
            from_device: false,
        }),
        Err(AppError::Transport(detail)) => match kept::<T>(kept_in, key).await {
            Ok(Some(value)) => Ok(Kept {
                value,
                from_device: true,
            }),
            _ => Err(AppError::Transport(detail)),
        },
        Err(e) => Err(e),
    }
}

#[cfg(feature = "hydrate")]
async fn kept<T: DeserializeOwned>(
    kept_in: store::Store,
    key: &str,
) -> Result<Option<T>, store::StoreError> {
    send_wrapper::SendWrapper::new(store::get::<T>(kept_in, key)).await
}

#[cfg(not(feature = "hydrate"))]
async fn kept<T: DeserializeOwned>(
    kept_in: store::Store,
    key: &str,
) -> Result<Option<T>, store::StoreError> {
    store::get::<T>(kept_in, key).await
}
