//! Small per-browser preferences kept in cookies (language, chosen building), so the server
//! renders the same page the browser then hydrates.

/// Reads a cookie: from the request on the server, from `document.cookie` in the browser.
pub fn read_cookie(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
        return cookie_value(header, name);
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast;
        let doc = web_sys::window()?
            .document()?
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()?;
        return cookie_value(&doc.cookie().ok()?, name);
    }
    #[allow(unreachable_code)]
    {
        let _ = name;
        None
    }
}

/// Writes a cookie in the browser; on the server it does nothing (preferences change only
/// by a person's click).
pub fn write_cookie(name: &str, value: &str, max_age_seconds: u32) {
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = doc.set_cookie(&format!(
                "{name}={value}; Path=/; Max-Age={max_age_seconds}; SameSite=Lax"
            ));
        }
    }
    #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
    {
        let _ = (name, value, max_age_seconds);
    }
}

/// Finds one cookie in a `Cookie:` header value.
pub fn cookie_value(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_value_finds_the_named_cookie_only() {
        let h = "a=1; uchet_lang=en; uchet_session=abc=def";
        assert_eq!(cookie_value(h, "uchet_lang").as_deref(), Some("en"));
        assert_eq!(cookie_value(h, "uchet_session").as_deref(), Some("abc=def"));
        assert_eq!(cookie_value(h, "lang"), None);
    }
}
