//! Browser defences on every response, and the cross-site check on every request that
//! changes something.
//!
//! - Headers: `X-Frame-Options: DENY` (with the CSP's `frame-ancestors 'none'`, set on pages
//!   by `app::security`), `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`,
//!   and `Strict-Transport-Security` when the public address is https.
//! - A state-changing request (POST, PUT, PATCH, DELETE: server functions, uploads) that a
//!   browser says came from another site (`Sec-Fetch-Site: cross-site`/`same-site`, or an
//!   `Origin` naming another host) is refused with 403 before it runs: no cross-site form
//!   can sign a visitor in (login CSRF) or act in their session. Requests without either
//!   header (scripts, curl) are not from a browser page and pass.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What the guard needs to know of the deployment.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    /// Served over https (the public address says so): HSTS is sent.
    pub https: bool,
}

/// A page's Content-Security-Policy: scripts only from this site or with this response's
/// nonce (Leptos' hydration and streaming scripts), WebAssembly allowed to compile, no
/// `eval`, nothing framing the page, no plugins. Inline styles stay allowed: the pages
/// set `style` attributes (shown / hidden rows). Images also from the map's tile server
/// (`tiles`, its origin).
pub fn content_security_policy(nonce: &str, tiles: Option<&str>) -> String {
    let tiles = tiles.map(|t| format!(" {t}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{tiles}; connect-src 'self'; \
         font-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

fn changes_state(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE)
}

/// Whether a browser's request came from a page of another site.
pub fn cross_site(sec_fetch_site: Option<&str>, origin: Option<&str>, host: Option<&str>) -> bool {
    if let Some(site) = sec_fetch_site {
        // «none»: typed or bookmarked by the user; «same-origin»: our own page
        return !matches!(site, "same-origin" | "none");
    }
    match (origin, host) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin_host = origin.split("://").nth(1).unwrap_or(origin);
            !origin_host.eq_ignore_ascii_case(host)
        }
        // an Origin but no Host to compare with: not a request a browser makes
        (Some(_), None) => true,
        (None, _) => false,
    }
}

pub async fn guard(State(guard): State<Guard>, req: Request, next: Next) -> Response {
    if changes_state(req.method()) {
        let h = req.headers();
        let text = |name: &str| h.get(name).and_then(|v| v.to_str().ok());
        if cross_site(text("sec-fetch-site"), text("origin"), text("host")) {
            tracing::info!(path = %req.uri().path(), "cross-site request refused");
            return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
        }
    }
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if guard.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::{content_security_policy, cross_site};

    #[test]
    fn pages_show_images_from_the_map_tile_server_and_nowhere_else() {
        let with = content_security_policy("n1", Some("https://tile.openstreetmap.org"));
        assert!(with.contains("img-src 'self' data: blob: https://tile.openstreetmap.org;"), "{with}");
        assert!(with.contains("script-src 'self' 'nonce-n1' 'wasm-unsafe-eval';"), "{with}");
        let without = content_security_policy("n1", None);
        assert!(without.contains("img-src 'self' data: blob:;"), "{without}");
    }

    #[test]
    fn a_page_of_another_site_is_cross_site_and_our_own_is_not() {
        assert!(!cross_site(Some("same-origin"), Some("https://uchet.example.ru"), Some("uchet.example.ru")));
        assert!(!cross_site(Some("none"), None, Some("uchet.example.ru")));
        assert!(cross_site(Some("cross-site"), Some("https://evil.example"), Some("uchet.example.ru")));
        assert!(cross_site(Some("same-site"), Some("https://x.example.ru"), Some("uchet.example.ru")));
        // browsers without Sec-Fetch-Site: the Origin decides
        assert!(cross_site(None, Some("https://evil.example"), Some("uchet.example.ru")));
        assert!(!cross_site(None, Some("http://127.0.0.1:3000"), Some("127.0.0.1:3000")));
        assert!(cross_site(None, Some("null"), Some("127.0.0.1:3000")));
        // not a browser page at all
        assert!(!cross_site(None, None, Some("127.0.0.1:3000")));
    }
}
