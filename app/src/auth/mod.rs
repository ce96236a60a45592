//! Sign-in and authorization, server side. Every server function begins with
//! `caller::authorize(Permission::…)`: one check of session, role and company.

pub mod caller;
pub mod password;
pub mod throttle;
pub mod token;

pub const SESSION_COOKIE: &str = "uchet_session";

/// Session settings the server puts into every request's context.
#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// At most 24 (SPEC F42).
    pub session_hours: i64,
    pub secure_cookies: bool,
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
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        cfg.session_hours.clamp(1, 24) * 3600
    )
}

/// The Set-Cookie value that ends one.
pub fn expired_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
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
    }
}
