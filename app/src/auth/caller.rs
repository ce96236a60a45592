//! Who is calling a server function, and whether they may.

use leptos::prelude::use_context;

use super::{token, PeerIp, SESSION_COOKIE};
use crate::errors::AppError;
use crate::models::{Permission, Role};
use crate::prefs::cookie_value;
use crate::storage::{self, Db};

#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: i64,
    pub login: String,
    pub full_name: String,
    /// The company this session works in; every query is scoped to it.
    pub company_id: i64,
    pub role: Role,
    pub token_hash: String,
    pub ip: String,
    /// Signed in with a password an administrator gave: nothing but changing it is open.
    pub must_change_password: bool,
}

/// The database of this request.
pub fn db() -> Result<Db, AppError> {
    use_context::<Db>().ok_or_else(|| {
        tracing::error!("no database in context");
        AppError::Internal
    })
}

pub fn client_ip() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<PeerIp>().cloned())
        .map(|p| p.0)
        .unwrap_or_default()
}

fn session_token(parts: &http::request::Parts) -> Option<String> {
    let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
    // over https the cookie is `__Host-uchet_session`; plain handlers (files, health) have
    // no settings at hand, and only this host over https can set that name, so both are read
    [super::SECURE_SESSION_COOKIE, SESSION_COOKIE]
        .into_iter()
        .find_map(|name| cookie_value(header, name).filter(|t| !t.is_empty()))
}

/// The signed-in caller of this server function or page, or `None`.
pub async fn current(db: &Db) -> Result<Option<Caller>, AppError> {
    match use_context::<http::request::Parts>() {
        Some(parts) => current_of(db, &parts).await,
        None => Ok(None),
    }
}

/// The signed-in caller of a plain HTTP request (file downloads), or `None`.
pub async fn current_of(db: &Db, parts: &http::request::Parts) -> Result<Option<Caller>, AppError> {
    let Some(token) = session_token(parts) else {
        return Ok(None);
    };
    let token_hash = token::hash(&token);
    let session = storage::session::get_active(db, &token_hash, storage::now()).await?;
    let ip = parts
        .extensions
        .get::<PeerIp>()
        .map(|p| p.0.clone())
        .unwrap_or_default();
    Ok(session.map(|s| Caller {
        user_id: s.user_id,
        login: s.login,
        full_name: s.full_name,
        company_id: s.company_id,
        role: s.role,
        token_hash,
        ip,
        must_change_password: s.must_change_password,
    }))
}

/// The one check: signed in, and the role in the session's company has the permission.
pub async fn authorize(permission: Permission) -> Result<(Db, Caller), AppError> {
    let db = db()?;
    let caller = current(&db).await?.ok_or(AppError::NotSignedIn)?;
    check(caller, permission).map(|c| (db, c))
}

/// [`authorize`] for a function that serves several roles in their own ways (typed readings
/// come from field staff, dispatchers and residents): any one of the permissions will do, and
/// the function then scopes by what the caller has.
pub async fn authorize_any(permissions: &[Permission]) -> Result<(Db, Caller), AppError> {
    let db = db()?;
    let caller = current(&db).await?.ok_or(AppError::NotSignedIn)?;
    match permissions.iter().find(|p| caller.role.allows(**p)) {
        Some(p) => check(caller, *p).map(|c| (db, c)),
        None => check(caller, permissions[0]).map(|c| (db, c)),
    }
}

/// [`authorize`] for a plain HTTP request outside Leptos.
pub async fn authorize_request(
    db: &Db,
    parts: &http::request::Parts,
    permission: Permission,
) -> Result<Caller, AppError> {
    let caller = current_of(db, parts).await?.ok_or(AppError::NotSignedIn)?;
    check(caller, permission)
}

fn check(caller: Caller, permission: Permission) -> Result<Caller, AppError> {
    if caller.must_change_password {
        return Err(AppError::MustChangePassword);
    }
    if !caller.role.allows(permission) {
        tracing::warn!(
            user_id = caller.user_id,
            role = caller.role.as_str(),
            ?permission,
            "forbidden"
        );
        return Err(AppError::Forbidden);
    }
    Ok(caller)
}
