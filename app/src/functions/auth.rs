//! Signing in and out, who am I, switching company.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::views::{SessionView, SignedInUser};

/// Only a path on this site is followed after sign-in; anything else goes home. Browsers
/// drop tabs and line breaks from addresses and read `\` as `/`, so `/%09/evil.example` would
/// become `//evil.example` (another site): such characters anywhere make it not a path.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\')
                && !n.contains("/./")
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
    use crate::auth::gate::{MAX_LOGIN_CHARS, MAX_PASSWORD_CHARS};
    use crate::auth::{caller, check_throttle, password as pw, record_failure, sign_in_gate};
    use crate::auth::start_session;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::storage::{audit, membership, sign_in_failure, user};

    let db = caller::db()?;
    let ip = caller::client_ip();
    let login = login.trim().to_lowercase();
    if login.is_empty() {
        return Err(AppError::invalid(Msg::Login, Problem::Required));
    }
    if login.chars().count() > MAX_LOGIN_CHARS {
        return Err(AppError::invalid(Msg::Login, Problem::TooLong));
    }
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid(Msg::Password, Problem::TooLong));
    }
    // counted before the slow check, in memory, per address, login and server
    let gate = sign_in_gate();
    gate.admit(&ip, &login, chrono::Utc::now().timestamp_millis())?;
    // the durable count of this login from this address, shared by every server process
    let key = format!("{login}@{ip}");
    check_throttle(&db, &key).await?;
    let found = user::get_by_login(&db, &login).await?;
    let hash = found.as_ref().map(|u| u.password_hash.clone());
    let known = hash.is_some();
    if !gate.check(known, move || pw::verify_or_dummy(&password, hash.as_deref())).await? {
        metrics::counter!("uchet_sign_in_failures_total").increment(1);
        // one journal line per burst of failures, not one per attempt; nothing is written
        // for a login that does not exist but the first failure of the address's minute
        let first_of_burst = gate.failures(&ip, &login) <= 1;
        match &found {
            Some(u) => {
                record_failure(&db, &key).await?;
                if first_of_burst {
                    // a known person's failed sign-in shows in each of their companies' journals
                    for m in membership::list_for_user(&db, u.id).await? {
                        audit::create(&db, Some(m.company_id), Some(u.id), "sign_in_failed", &login, &ip)
                            .await?;
                    }
                }
            }
            None if gate.address_attempts(&ip) <= 1 => {
                audit::create(&db, None, None, "sign_in_failed", &login, &ip).await?;
            }
            None => {}
        }
        tracing::info!(login = %login, ip = %ip, "sign-in failed");
        return Err(AppError::SignInFailed);
    }
    gate.succeeded(&ip, &login);
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
    sign_in_failure::clear(&db, &key).await?;
    start_session(&db, user.id, first.company_id, &ip).await?;
    tracing::info!(
        user_id = user.id,
        company_id = first.company_id,
        "signed in"
    );
    // a password an administrator gave is changed before anything else
    let target = if user.must_change_password {
        "/settings/password".to_string()
    } else {
        safe_next(next.as_deref())
    };
    leptos_axum::redirect(&target);
    Ok(())
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::auth::{caller, expired_session_cookie, AuthConfig};
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
        http::HeaderValue::from_str(&expired_session_cookie(&use_context::<AuthConfig>().unwrap_or_default()))
            .map_err(|_| AppError::Internal)?,
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

/// A signed-in person changes their password: the current one, then the new one twice. The
/// new one is at least ten characters and not among the first guesses; their other sessions
/// end (a stolen one too), this one stays.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current: String,
    password: String,
    password_again: String,
) -> Result<(), AppError> {
    use crate::auth::gate::MAX_PASSWORD_CHARS;
    use crate::auth::{caller, password as pw, sign_in_gate};
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::storage::{audit, membership, user};

    let db = caller::db()?;
    // not `authorize`: this is what someone with a password to change may still do
    let c = caller::current(&db).await?.ok_or(AppError::NotSignedIn)?;
    if [&current, &password].iter().any(|p| p.chars().count() > MAX_PASSWORD_CHARS) {
        return Err(AppError::invalid(Msg::Password, Problem::TooLong));
    }
    let u = user::get(&db, c.user_id).await?;
    let gate = sign_in_gate();
    gate.admit(&c.ip, &u.login, chrono::Utc::now().timestamp_millis())?;
    let hash = u.password_hash.clone();
    let typed = current.clone();
    if !gate.check(true, move || pw::verify_or_dummy(&typed, Some(&hash))).await? {
        return Err(AppError::invalid(Msg::PasswordCurrent, Problem::Mismatch));
    }
    gate.succeeded(&c.ip, &u.login);
    pw::check_new(&password, &u.login).map_err(|p| AppError::invalid(Msg::PasswordNew, p))?;
    if password == current {
        return Err(AppError::invalid(Msg::PasswordNew, Problem::AlreadyExists));
    }
    if password != password_again {
        return Err(AppError::invalid(Msg::PasswordAgain, Problem::Mismatch));
    }
    let new_hash = gate.check(true, move || pw::hash_blocking(&password)).await?;
    user::set_password(&db, u.id, &new_hash, Some(&c.token_hash)).await?;
    for m in membership::list_for_user(&db, u.id).await? {
        audit::create(&db, Some(m.company_id), Some(u.id), "password_changed", "", &c.ip).await?;
    }
    tracing::info!(user_id = u.id, "password changed");
    Ok(())
}

/// «Забыли пароль?»: a one-time link to a new password goes to the person's e-mail. The
/// answer is the same whether or not such a person exists, so nobody learns who has an
/// account; at most three links an hour are mailed to one person. Links point only to the
/// configured public address (`UCHET_PUBLIC_URL`), never to one a request names.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(login: String) -> Result<(), AppError> {
    use crate::auth::{caller, sign_in_gate, token};
    use crate::mail::{queue_to, MailConfig, PasswordReset};
    use crate::storage::{membership, password_reset, user};

    let db = caller::db()?;
    let ip = caller::client_ip();
    let config = use_context::<MailConfig>().unwrap_or_default();
    if !config.enabled || config.public_url.trim().is_empty() {
        return Err(AppError::MailNotConfigured);
    }
    let login = login.trim().to_lowercase();
    if login.is_empty() || login.chars().count() > crate::auth::gate::MAX_LOGIN_CHARS {
        return Ok(());
    }
    // counted like a sign-in attempt: the same address allowance
    let gate = sign_in_gate();
    gate.admit(&ip, &format!("reset:{login}"), chrono::Utc::now().timestamp_millis())?;
    gate.succeeded(&ip, &format!("reset:{login}"));
    let Some(u) = user::find_by_login_or_email(&db, &login).await? else {
        return Ok(());
    };
    let to = if u.email.contains('@') { u.email.clone() } else { u.login.clone() };
    if u.blocked || !to.contains('@') || password_reset::recent_count(&db, u.id).await? >= 3 {
        return Ok(());
    }
    let t = token::new_token();
    password_reset::create(&db, &token::hash(&t), u.id).await?;
    let company = membership::list_for_user(&db, u.id).await?.first().map(|m| m.company_id);
    let base = config.base_url(None);
    let letter = PasswordReset { full_name: &u.full_name, token: &t, base_url: &base }.letter();
    queue_to(&db, &config, company, &to, letter).await?;
    tracing::info!(user_id = u.id, "password reset link mailed");
    Ok(())
}

/// Whether a reset link can still be used (the page shows its form or says it has expired).
#[server(endpoint = "reset_link_valid")]
pub async fn reset_link_valid(token: String) -> Result<bool, AppError> {
    use crate::auth::{caller, token as tk};
    let db = caller::db()?;
    if token.len() > 200 {
        return Ok(false);
    }
    Ok(crate::storage::password_reset::is_valid(&db, &tk::hash(token.trim())).await?)
}

/// Sets a new password by a reset link (spent on use); every session of the person ends.
#[server(endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    password_again: String,
) -> Result<(), AppError> {
    use crate::auth::{caller, password as pw, sign_in_gate, token as tk};
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::storage::{audit, membership, password_reset, user};

    let db = caller::db()?;
    let ip = caller::client_ip();
    if token.len() > 200 || password.chars().count() > crate::auth::gate::MAX_PASSWORD_CHARS {
        return Err(AppError::CodeNotValid);
    }
    sign_in_gate().admit_code(&ip, chrono::Utc::now().timestamp_millis())?;
    if password != password_again {
        return Err(AppError::invalid(Msg::PasswordAgain, Problem::Mismatch));
    }
    let hash = tk::hash(token.trim());
    if !password_reset::is_valid(&db, &hash).await? {
        return Err(AppError::CodeNotValid);
    }
    sign_in_gate().code_found(&ip);
    let user_id = {
        // checked before the link is spent: a weak password keeps the link usable
        let probe = sqlx::query_scalar::<_, i64>("SELECT user_id FROM password_resets WHERE token_hash = $1")
            .bind(&hash)
            .fetch_optional(db.pool())
            .await
            .map_err(crate::storage::StorageError::from)?
            .ok_or(AppError::CodeNotValid)?;
        let u = user::get(&db, probe).await?;
        pw::check_new(&password, &u.login).map_err(|p| AppError::invalid(Msg::PasswordNew, p))?;
        password_reset::take(&db, &hash).await?.ok_or(AppError::CodeNotValid)?
    };
    let new_hash = pw::hash(password).await;
    user::set_password(&db, user_id, &new_hash, None).await?;
    for m in membership::list_for_user(&db, user_id).await? {
        audit::create(&db, Some(m.company_id), Some(user_id), "password_reset", "", &ip).await?;
    }
    tracing::info!(user_id, "password reset by a link");
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
        for sneaky in ["/\t/evil.example", "/\n/evil.example", "/\\evil.example", "/ /evil.example", "/\u{0}/x"] {
            assert_eq!(safe_next(Some(sneaky)), "/", "{sneaky:?}");
        }
        assert_eq!(safe_next(Some("/readings?object=2&q=12")), "/readings?object=2&q=12");
        assert_eq!(safe_next(None), "/");
    }
}
