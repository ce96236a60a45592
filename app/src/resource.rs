//! Resources whose server-rendered value the browser reads with the same JSON decoder the
//! server functions use.
//!
//! Leptos's default resource codec reads the value rendered into the page with
//! `serde_json::from_str`, while a server function's answer is read with `from_slice`. Each
//! reader is its own copy of every decoder, so every type a page loads was compiled twice
//! into the bundle: 55 KB of the field screen's wasm before optimisation. Reading both with
//! `from_slice` keeps one copy.

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;

/// JSON as the server functions write and read it.
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(text.as_bytes())
    }
}

/// A resource like `Resource::new`: loaded on the server, rendered into the page, read back
/// in the browser without a second request, and loaded again when `source` changes.
#[track_caller]
pub fn resource<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Json>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_reads_back_as_it_was_written() {
        let value: Result<Vec<(i64, String)>, String> = Ok(vec![(7, "кв. 12".into())]);
        let text = <Json as Encoder<_>>::encode(&value).unwrap();
        let back: Result<Vec<(i64, String)>, String> = <Json as Decoder<_>>::decode(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn a_damaged_value_is_an_error_not_a_panic() {
        let back: Result<Result<i64, String>, _> = <Json as Decoder<_>>::decode("{\"Ok\":");
        assert!(back.is_err());
    }
}

/// How many times `action` went through. A page reads its data again after a change was
/// kept, not after a refusal: a refusal that redrew the page would take what was typed on
/// its form with it (`version()` counts refusals too).
pub fn kept<I, T, E>(action: Action<I, Result<T, E>>) -> Signal<u32>
where
    I: Send + Sync + 'static,
    T: Send + Sync + 'static,
    E: Send + Sync + 'static,
{
    let count = RwSignal::new(0u32);
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            count.update(|n| *n = n.wrapping_add(1));
        }
    });
    count.into()
}

/// Sets `last` to `word` each time `action` keeps a change: a page with several actions shows
/// the latest one's word only («удалено» after «сохранено», not both).
pub fn say_when_kept<I, T, E, W>(action: Action<I, Result<T, E>>, last: RwSignal<Option<W>>, word: W)
where
    I: Send + Sync + 'static,
    T: Send + Sync + 'static,
    E: Send + Sync + 'static,
    W: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            last.set(Some(word.clone()));
        }
    });
}
