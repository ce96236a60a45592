//! A page script of Uchet's own (`public/*.js`) loaded the first time a component needs the
//! function it defines: the barcode reader, the map.

/// `self[name]`, adding `<script src=src>` to the page the first time; `None` when the
/// script could not load or defines no such function.
#[cfg(feature = "hydrate")]
pub async fn global(window: &web_sys::Window, name: &str, src: &str) -> Option<js_sys::Function> {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let get = || {
        js_sys::Reflect::get(window, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    };
    if let Some(f) = get() {
        return Some(f);
    }
    let doc = window.document()?;
    let script = doc.create_element("script").ok()?;
    script.set_attribute("src", src).ok()?;
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        let _ = script.add_event_listener_with_callback("load", ok.unchecked_ref());
        let _ = script.add_event_listener_with_callback("error", failed.unchecked_ref());
    });
    doc.head()?.append_child(&script).ok()?;
    wasm_bindgen_futures::JsFuture::from(done).await.ok()?;
    get()
}
