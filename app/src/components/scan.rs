//! «Сканировать»: a barcode or QR label read off a photo — on a phone the camera opens
//! (`capture`), on a desk a picture is picked — and put into its field. The reading is
//! `public/scan.js` (the browser's BarcodeDetector, else ZXing), loaded the first time.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// What a scan came to, for the line under the button (set in the browser only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Outcome {
    Reading,
    Found,
    NotFound,
}

/// A button that hands the code read off a photo to `on_code`; `testid` names its file input.
#[component]
pub fn ScanButton(on_code: Callback<String>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = RwSignal::new(None::<Outcome>);
    let on_pick = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            outcome.set(Some(Outcome::Reading));
            leptos::task::spawn_local(async move {
                let text = read(file).await;
                // the same photo picked again must fire `change` again
                input.set_value("");
                match text {
                    Some(t) => {
                        on_code.run(t);
                        outcome.set(Some(Outcome::Found));
                    }
                    None => outcome.set(Some(Outcome::NotFound)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, on_code);
    };
    let line = move || {
        outcome.get().map(|o| {
            let (class, msg) = match o {
                Outcome::Reading => ("muted", Msg::ScanReading),
                Outcome::Found => ("ok-text", Msg::ScanFound),
                Outcome::NotFound => ("warn-text", Msg::ScanNotFound),
            };
            view! { <small class=class data-testid=format!("{testid}-outcome") data-outcome=format!("{o:?}")>{i18n.tr(msg)}</small> }
        })
    };
    view! {
        <span class="scan">
            <label class="button small scan-button">
                {i18n.tr(Msg::ScanButton)}
                <input type="file" accept="image/*" capture="environment" class="sr" on:change=on_pick data-testid=testid/>
            </label>
            {line}
        </span>
    }
}

/// The text of the first code on the photo, or `None` (none found, or the reader could not
/// load: then the field is typed by hand).
#[cfg(feature = "hydrate")]
async fn read(file: web_sys::File) -> Option<String> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let scan = crate::components::script::global(&window, "uchetScan", "/scan.js").await?;
    let promise = scan.call1(&window, &file).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let text = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    text.as_string().map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}
