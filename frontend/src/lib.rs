//! The browser entry: hydrates the server-rendered page. Everything else lives in `app`.
// Leptos views are deeply nested types; the widest pages need more than the default 128.
#![recursion_limit = "256"]

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
        let owner = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        owner.forget();
        // Browser tests wait for this mark: clicks made before hydration would be lost.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
