//! Signing in and out, who am I, switching company.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::views::{SessionView, SignedInUser};

/// Only same-site paths are followed after sign-in; anything else goes home.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.starts_with("/login") =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(
    login: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::{caller, check_throttle, password as pw, record_failure, start_session};
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::storage::{audit, membership, sign_in_failure, user};

    let db = caller::db()?;
    let ip = caller::client_ip();
    let login = login.trim().to_lowercase();
    if login.is_empty() {
        return Err(AppError::invalid(Msg::Login, Problem::Required));
    }
    check_throttle(&db, &login).await?;
    let found = user::get_by_login(&db, &login).await?;
    if !pw::verify(password, found.as_ref().map(|u| u.password_hash.clone())).await {
        record_failure(&db, &login).await?;
        metrics::counter!("uchet_sign_in_failures_total").increment(1);
        // a known person's failed sign-in shows in each of their companies' journals
        let companies: Vec<Option<i64>> = match &found {
            Some(u) => membership::list_for_user(&db, u.id)
                .await?
                .into_iter()
                .map(|m| Some(m.company_id))
                .collect(),
            None => vec![None],
        };
        for company in companies {
            audit::create(&db, company, found.as_ref().map(|u| u.id), "sign_in_failed", &login, &ip)
                .await?;
        }
        tracing::info!(login = %login, ip = %ip, "sign-in failed");
        return Err(AppError::SignInFailed);
    }
    let user = found.ok_or(AppError::SignInFailed)?;
    if user.blocked {
        return Err(AppError::Blocked);
    }
    let memberships = membership::list_for_user(&db, user.id).await?;
    if memberships.is_empty() {
        return Err(AppError::NoCompany);
    }
    let first = memberships
        .into_iter()
        .find(|m| !m.blocked)
        .ok_or(AppError::Blocked)?;
    sign_in_failure::clear(&db, &login).await?;
    start_session(&db, user.id, first.company_id, &ip).await?;
    tracing::info!(
        user_id = user.id,
        company_id = first.company_id,
        "signed in"
    );
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::auth::{caller, expired_session_cookie};
    use crate::storage::{audit, session};

    let db = caller::db()?;
    if let Some(c) = caller::current(&db).await? {
        session::delete(&db, &c.token_hash).await?;
        audit::create(
            &db,
            Some(c.company_id),
            Some(c.user_id),
            "sign_out",
            "",
            &c.ip,
        )
        .await?;
    }
    let response = expect_context::<leptos_axum::ResponseOptions>();
    response.append_header(
        http::header::SET_COOKIE,
        http::HeaderValue::from_str(&expired_session_cookie()).map_err(|_| AppError::Internal)?,
    );
    leptos_axum::redirect("/login");
    Ok(())
}

/// Who is signed in, in which company, and what the top bar offers. `None` when signed out.
#[server(endpoint = "session_info")]
pub async fn session_info() -> Result<Option<SessionView>, AppError> {
    use crate::auth::caller;
    use crate::models::views::{CompanyChoice, ObjectChoice};
    use crate::models::Permission;
    use crate::storage::{membership, object};

    let db = caller::db()?;
    let Some(c) = caller::current(&db).await? else {
        return Ok(None);
    };
    let memberships = membership::list_for_user(&db, c.user_id).await?;
    let company_name = memberships
        .iter()
        .find(|m| m.company_id == c.company_id)
        .map(|m| m.company_name.clone())
        .unwrap_or_default();
    let objects = if c.role.allows(Permission::ViewObjects) {
        object::list(&db, c.company_id)
            .await?
            .into_iter()
            .map(|o| ObjectChoice {
                id: o.id,
                name: o.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Some(SessionView {
        user_id: c.user_id,
        login: c.login,
        full_name: c.full_name,
        role: c.role,
        company_id: c.company_id,
        company_name,
        companies: memberships
            .into_iter()
            .filter(|m| !m.blocked)
            .map(|m| CompanyChoice {
                id: m.company_id,
                name: m.company_name,
                role: m.role,
            })
            .collect(),
        objects,
    }))
}

/// Who is signed in and the company's name, for the field screen's light frame. `None`
/// when signed out.
#[server(endpoint = "signed_in")]
pub async fn signed_in() -> Result<Option<SignedInUser>, AppError> {
    use crate::auth::caller;
    use crate::storage::membership;

    let db = caller::db()?;
    let Some(c) = caller::current(&db).await? else {
        return Ok(None);
    };
    let company_name = membership::get(&db, c.user_id, c.company_id)
        .await?
        .map(|m| m.company_name)
        .unwrap_or_default();
    Ok(Some(SignedInUser {
        user_id: c.user_id,
        full_name: c.full_name,
        role: c.role,
        company_name,
    }))
}

/// Moves the session to another company the user belongs to.
#[server(endpoint = "switch_company")]
pub async fn switch_company(company_id: i64) -> Result<(), AppError> {
    use crate::auth::caller;
    use crate::storage::{audit, membership, session};

    let db = caller::db()?;
    let c = caller::current(&db).await?.ok_or(AppError::NotSignedIn)?;
    match membership::get(&db, c.user_id, company_id).await? {
        Some(m) if !m.blocked => {}
        Some(_) => return Err(AppError::Blocked),
        None => return Err(AppError::Forbidden),
    }
    session::set_company(&db, &c.token_hash, company_id).await?;
    audit::create(
        &db,
        Some(company_id),
        Some(c.user_id),
        "switch_company",
        &c.company_id.to_string(),
        &c.ip,
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn sign_in_follows_only_same_site_paths() {
        assert_eq!(safe_next(Some("/objects")), "/objects");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/login")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
