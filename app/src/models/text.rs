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

/// Sorts flat numbers as numbers where they are ones ("2" before "10", "1а" after "1"), on
/// the server and in the browser alike.
pub fn natural_key(number: &str) -> (u64, String) {
    let digits: String = number.chars().take_while(|c| c.is_ascii_digit()).collect();
    (digits.parse().unwrap_or(u64::MAX), number.to_string())
}
