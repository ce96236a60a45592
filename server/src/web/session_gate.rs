//! Pages need a session: a signed-out browser asking for a page is sent to /login (and back
//! after). Server functions check for themselves; static files, /login, /register and /reset are
//! open. A database without companies sends every page to the first start, /setup.

use app::auth::token;
use app::prefs::cookie_value;
use app::storage;
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::AppState;

/// Paths anyone may fetch.
fn is_open(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        // an alert letter's unsubscribe link, followed from any mailbox
        || path.starts_with("/alerts/unsubscribe/")
        || matches!(path, "/healthz" | "/metrics" | "/offline.html")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
}

/// Where someone with a password to change is sent.
const PASSWORD_PAGE: &str = "/settings/password";

pub async fn require_session(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if req.method() != Method::GET || is_open(&path) {
        return next.run(req).await;
    }
    let token = req
        .headers()
        .get(header::COOKIE)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| cookie_value(h, state.auth.cookie_name()))
        .filter(|t| !t.is_empty());
    let session = match token {
        Some(t) => storage::session::get_active(&state.db, &token::hash(&t), storage::now())
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let signed_in = session.is_some();
    // a password an administrator gave is changed before anything else opens
    if session.is_some_and(|s| s.must_change_password) && path != PASSWORD_PAGE {
        return Redirect::to(PASSWORD_PAGE).into_response();
    }
    // an empty database has nobody to sign in: its first start comes first, and only then
    let first_start = !signed_in
        && storage::first_start::needed(&state.db)
            .await
            .unwrap_or(false);
    match (path.as_str(), signed_in) {
        ("/setup", false) if first_start => next.run(req).await,
        ("/setup", false) => Redirect::to("/login").into_response(),
        (_, false) if first_start => Redirect::to("/setup").into_response(),
        ("/login" | "/setup", true) => Redirect::to("/").into_response(),
        // a resident with a code registers before having a session; a forgotten password
        // is reset without one
        ("/login" | "/register" | "/reset", false) | (_, true) => next.run(req).await,
        (_, false) => {
            let target = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            Redirect::to(&format!("/login?next={}", encode(target))).into_response()
        }
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_api_and_health_are_open_pages_are_not() {
        assert!(is_open("/pkg/uchet.abc123.wasm"));
        assert!(is_open("/api/sign_in"));
        assert!(is_open("/favicon.ico"));
        assert!(is_open("/sw.js"));
        assert!(is_open("/healthz"));
        assert!(!is_open("/"));
        assert!(!is_open("/objects"));
        assert!(!is_open("/settings/users"));
    }
}
