//! Case folding for the searches people type into lists.

/// `s` in lower case, to compare what was typed with what is listed. In the browser the
/// browser folds it: Rust's Unicode case tables would add 15 KB to the bundle every page
/// loads, for the field screen's two searches.
pub fn lowercase(s: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        String::from(js_sys::JsString::from(s).to_lower_case())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        s.to_lowercase()
    }
}
