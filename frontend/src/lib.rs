//! The browser entry: hydrates the server-rendered page. Everything else lives in `app`.
// Leptos views are deeply nested types; the widest pages need more than the default 128.
#![recursion_limit = "256"]

/// Room for `cargo leptos build --split` to regroup the constant data by chunk. The splitter
/// gives each chunk the strings and tables only its code uses, but when regrouping (with each
/// chunk's alignment) comes out even a few bytes longer than the linker's data segment, it
/// gives up and leaves all data in the main module, which every page loads: 115 KB more
/// on the field route, decided by alignment luck. Nothing reads these bytes, so the
/// splitter puts them in no module; they only lengthen the segment it measures against.
#[used]
static SPLIT_DATA_SLACK: [u8; 16384] = [0x55; 16384];

/// Hydrates the page. The dispatcher's pages are lazy routes (split into their own wasm
/// chunks by `cargo leptos --split`), so hydration waits for the open page's chunk.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    leptos::task::spawn_local(async move {
        // a page the server drew in English hydrates with the English texts at hand
        if app::i18n::I18n::from_cookie() == app::i18n::Lang::En {
            app::i18n::load_english().await;
        }
        let owner = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        owner.forget();
        // Browser tests wait for this mark: clicks made before hydration would be lost.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
