//! Attaching a file (a photo of a leak, a works schedule): the file goes to
//! `POST /attachments` as it is picked, and the form sends only its id with the request,
//! reply or notice. Photos and PDFs up to 10 MB.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};
use crate::models::request::AttachmentRef;

/// What the picker accepts; the server checks again.
pub const ACCEPT: &str = "image/jpeg,image/png,image/webp,image/heic,application/pdf";

/// A file picker that uploads at once; `file` holds what was uploaded (None: nothing, or
/// removed).
#[component]
pub fn AttachInput(file: RwSignal<Option<AttachmentRef>>) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let failed: RwSignal<Option<String>> = RwSignal::new(None);
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(picked) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            busy.set(true);
            failed.set(None);
            leptos::task::spawn_local(async move {
                match upload::send(picked).await {
                    Ok(a) => file.set(Some(a)),
                    Err(e) => failed.set(Some(e)),
                }
                busy.set(false);
            });
            input.set_value("");
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, busy, file);
    };
    view! {
        <div class="attach" data-testid="attach">
            {move || match file.get() {
                Some(a) => view! {
                    <span class="attached" data-testid="attached">
                        "📎 " {a.name.clone()} " (" {size_text(a.size)} ")"
                        <button type="button" class="link" on:click=move |_| file.set(None)>{i18n.tr(Msg::AttachRemove)}</button>
                    </span>
                }.into_any(),
                None => view! {
                    <label class="button small file-pick">
                        {move || if busy.get() { i18n.t(Msg::AttachUploading) } else { i18n.t(Msg::AttachPick) }}
                        <input type="file" accept=ACCEPT class="sr" on:change=on_change disabled=move || busy.get()/>
                    </label>
                }.into_any(),
            }}
            {move || failed.get().map(|e| view! { <span class="error-text" role="alert">{e}</span> })}
        </div>
    }
}

/// A file size as people read it: «840 КБ», «2,4 МБ».
pub fn size_text(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} КБ", (bytes + 1023) / 1024)
    } else {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        format!("{},{} МБ", tenths / 10, tenths % 10)
    }
}

/// An attachment link: a thumbnail for a photo, the name for anything else.
#[component]
pub fn AttachmentLink(file: AttachmentRef) -> impl IntoView {
    let href = file.href();
    let label = format!("{} ({})", file.name, size_text(file.size));
    if file.is_image() {
        view! {
            <a class="attachment image" href=href.clone() target="_blank" rel="noopener" data-testid="attachment">
                <img src=href.clone() alt=file.name.clone() loading="lazy"/>
                <span>{label}</span>
            </a>
        }
        .into_any()
    } else {
        view! { <a class="attachment" href=href target="_blank" rel="noopener" data-testid="attachment">"📎 " {label}</a> }.into_any()
    }
}

#[cfg(feature = "hydrate")]
pub(crate) mod upload {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    use crate::models::request::AttachmentRef;

    /// Sends the file's bytes as the request body; the server answers with its reference
    /// or with the reason in words.
    pub async fn send(file: web_sys::File) -> Result<AttachmentRef, String> {
        let url = format!(
            "/attachments?name={}",
            crate::models::format::url_encode(&file.name())
        );
        let text = post(&url, file).await?;
        serde_json::from_str(&text).map_err(|e| e.to_string())
    }

    /// POSTs a picked file as the body; the answer's text, or the server's reason in words.
    pub async fn post(url: &str, file: web_sys::File) -> Result<String, String> {
        let window = web_sys::window().ok_or("no window")?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&file.clone().into());
        let headers = web_sys::Headers::new().map_err(|_| "headers")?;
        let mime = if file.type_().is_empty() {
            "application/octet-stream".to_string()
        } else {
            file.type_()
        };
        headers.set("Content-Type", &mime).map_err(|_| "headers")?;
        init.set_headers(&headers);
        let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await
            .map_err(|_| "network".to_string())?
            .dyn_into::<web_sys::Response>()
            .map_err(|_| "response")?;
        let text = JsFuture::from(response.text().map_err(|_| "response")?)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        if response.ok() {
            Ok(text)
        } else {
            Err(text)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_in_kilobytes_and_megabytes() {
        assert_eq!(super::size_text(1), "1 КБ");
        assert_eq!(super::size_text(840 * 1024), "840 КБ");
        assert_eq!(super::size_text(2_516_582), "2,4 МБ");
    }
}
