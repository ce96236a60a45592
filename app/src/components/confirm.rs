//! The browser's own yes/no question before an action that cannot be taken back (no dialog
//! code in the bundle every page loads).

/// Whether the person said yes; no outside a browser.
pub fn confirmed(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(question).ok())
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        false
    }
}
