//! The English texts. The server always has them. In the browser they are a wasm chunk of
//! their own (`cargo leptos build --split`): most staff work in Russian, and a phone's first
//! load is smaller by the English half of the text table. The chunk is fetched before a page
//! in English is hydrated and before the language is switched to English; the service worker
//! keeps it like every other `/pkg` file, so it is there offline once it was used.

use super::messages::ENGLISH;

/// The English table, once it is at hand.
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
pub(super) fn texts() -> Option<&'static [&'static str]> {
    Some(&ENGLISH)
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
static LOADED: std::sync::OnceLock<&'static [&'static str]> = std::sync::OnceLock::new();

/// The English table, once it is at hand.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub(super) fn texts() -> Option<&'static [&'static str]> {
    LOADED.get().copied()
}

/// The split point: only this function reads `ENGLISH`, so the splitter moves the table and
/// its strings into this function's chunk.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
#[leptos::lazy]
fn english_chunk() -> &'static [&'static str] {
    &ENGLISH
}

/// Makes the English texts available; at once on the server, after the chunk's fetch in
/// the browser (once).
pub async fn load() {
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    if LOADED.get().is_none() {
        let texts = english_chunk().await;
        let _ = LOADED.set(texts);
    }
}
