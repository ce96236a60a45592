//! Sign-in and authorization, server side. Every server function begins with
//! `caller::authorize(Permission::…)`: one check of session, role and company.

pub mod api_token;
pub mod caller;
pub mod gate;
pub mod password;
pub mod throttle;
pub mod token;

pub const SESSION_COOKIE: &str = "uchet_session";
/// The cookie's name over https: `__Host-` makes the browser keep it only from this very
/// host, sent over https, for the whole site (no sub-domain can plant or read it).
pub const SECURE_SESSION_COOKIE: &str = "__Host-uchet_session";

/// Session settings the server puts into every request's context.
#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// At most 24 (SPEC F42).
    pub session_hours: i64,
    pub secure_cookies: bool,
}

impl AuthConfig {
    /// The session cookie's name under these settings.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            session_hours: 12,
            secure_cookies: false,
        }
    }
}

/// The peer address, put into request extensions by the server for the audit log.
#[derive(Clone, Debug, Default)]
pub struct PeerIp(pub String);

/// The Set-Cookie value that starts a session.
pub fn session_cookie(token: &str, cfg: &AuthConfig) -> String {
    let secure = if cfg.secure_cookies { "; Secure" } else { "" };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        cfg.cookie_name(),
        cfg.session_hours.clamp(1, 24) * 3600
    )
}

/// The sign-in gate of this server (in every request's context; a default one outside a
/// request, e.g. in unit tests).
pub fn sign_in_gate() -> std::sync::Arc<gate::SignInGate> {
    leptos::prelude::use_context::<std::sync::Arc<gate::SignInGate>>().unwrap_or_else(|| {
        static FALLBACK: std::sync::OnceLock<std::sync::Arc<gate::SignInGate>> = std::sync::OnceLock::new();
        FALLBACK.get_or_init(Default::default).clone()
    })
}

/// Refuses an attempt while `key` (a login typed from an address) has failed too often
/// lately. Every server process shares the count through the database.
pub async fn check_throttle(db: &crate::storage::Db, key: &str) -> Result<(), crate::errors::AppError> {
    if let Some((failures, last)) = crate::storage::sign_in_failure::get(db, key).await? {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let wait_seconds = throttle::wait_seconds(failures, last, now_ms);
        if wait_seconds > 0 {
            return Err(crate::errors::AppError::TooManyAttempts { wait_seconds });
        }
    }
    Ok(())
}

/// Counts a failed attempt against `key` (see [`check_throttle`]).
pub async fn record_failure(db: &crate::storage::Db, key: &str) -> Result<(), crate::errors::AppError> {
    let failed_at_ms = chrono::Utc::now().timestamp_millis();
    crate::storage::sign_in_failure::record(db, key, failed_at_ms).await?;
    Ok(())
}

/// Opens a session of `user_id` in `company_id` and hands its cookie to the browser with
/// the server function's response.
pub async fn start_session(
    db: &crate::storage::Db,
    user_id: i64,
    company_id: i64,
    ip: &str,
) -> Result<(), crate::errors::AppError> {
    use crate::errors::AppError;
    let cfg = leptos::prelude::use_context::<AuthConfig>().unwrap_or_default();
    let token = token::new_token();
    let expires_at = crate::storage::now() + cfg.session_hours.clamp(1, 24) * 3600;
    crate::storage::session::create(db, &token::hash(&token), user_id, company_id, expires_at, ip)
        .await?;
    crate::storage::user::touch_sign_in(db, user_id).await?;
    crate::storage::audit::create(db, Some(company_id), Some(user_id), "sign_in", "", ip).await?;
    let response = leptos::prelude::expect_context::<leptos_axum::ResponseOptions>();
    response.append_header(
        http::header::SET_COOKIE,
        http::HeaderValue::from_str(&session_cookie(&token, &cfg)).map_err(|_| AppError::Internal)?,
    );
    Ok(())
}

/// The Set-Cookie value that ends one.
pub fn expired_session_cookie(cfg: &AuthConfig) -> String {
    let secure = if cfg.secure_cookies { "; Secure" } else { "" };
    format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}", cfg.cookie_name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_same_site_and_lives_at_most_a_day() {
        let c = session_cookie(
            "abc",
            &AuthConfig {
                session_hours: 72,
                secure_cookies: true,
            },
        );
        assert!(c.contains("HttpOnly"));
        assert!(c.contains("SameSite=Lax"));
        assert!(c.contains("Max-Age=86400"));
        assert!(c.ends_with("; Secure"));
        assert!(c.starts_with("__Host-uchet_session=abc; Path=/;"), "{c}");
        let plain = session_cookie("abc", &AuthConfig::default());
        assert!(plain.starts_with("uchet_session=abc;") && !plain.contains("Secure"));
    }
}
