//! Users of the company, managed by its administrator (SPEC F42).

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::views::UserRow;
use crate::models::Role;


#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::membership;

    let (db, c) = authorize(Permission::ManageUsers).await?;
    Ok(membership::list_users(&db, c.company_id)
        .await?
        .into_iter()
        .map(|(u, role, blocked_here)| UserRow {
            id: u.id,
            login: u.login,
            full_name: u.full_name,
            role,
            blocked: u.blocked || blocked_here,
            last_sign_in: u.last_sign_in_at.and_then(|t| local_time(t)),
            me: u.id == c.user_id,
        })
        .collect())
}

/// Sign-in times are shown in Moscow time, the company default.
#[cfg(feature = "ssr")]
fn local_time(ts: i64) -> Option<chrono::NaiveDateTime> {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|t| t.with_timezone(&chrono_tz::Europe::Moscow).naive_local())
}

/// The history of the company's users' actions (F42), under the journal's filters.
#[server(endpoint = "audit_log")]
pub async fn audit_log(
    query: crate::models::audit::AuditQuery,
) -> Result<crate::models::audit::AuditView, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ManageUsers).await?;
    crate::queries::audit::journal(&db, &c, &query).await
}

#[server(endpoint = "create_user")]
pub async fn create_user(
    login: String,
    full_name: String,
    password: String,
    role: Role,
) -> Result<UserRow, AppError> {
    use crate::auth::{caller::authorize, password as pw};
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::Permission;
    use crate::storage::{audit, membership, user, StorageError};

    let (db, c) = authorize(Permission::ManageUsers).await?;
    let login = login.trim().to_lowercase();
    let full_name = full_name.trim().to_string();
    if login.is_empty() {
        return Err(AppError::invalid(Msg::Login, Problem::Required));
    }
    if login.chars().any(|ch| ch.is_whitespace()) {
        return Err(AppError::invalid(Msg::Login, Problem::BadFormat));
    }
    if full_name.is_empty() {
        return Err(AppError::invalid(Msg::FullName, Problem::Required));
    }
    pw::check_new(&password, &login).map_err(|p| AppError::invalid(Msg::Password, p))?;
    let hash = pw::hash(password).await;
    let created = user::create(
        &db,
        &user::User {
            login: login.clone(),
            password_hash: hash,
            full_name,
            must_change_password: true,
            ..Default::default()
        },
    )
    .await
    .map_err(|e| match e {
        StorageError::AlreadyExists => AppError::invalid(Msg::Login, Problem::AlreadyExists),
        other => other.into(),
    })?;
    membership::create(&db, created.id, c.company_id, role).await?;
    audit::create(
        &db,
        Some(c.company_id),
        Some(c.user_id),
        "create_user",
        &format!("{login} {}", role.as_str()),
        &c.ip,
    )
    .await?;
    Ok(UserRow {
        id: created.id,
        login,
        full_name: created.full_name,
        role,
        blocked: false,
        last_sign_in: None,
        me: false,
    })
}

/// Blocks or unblocks a user in the caller's company (their other companies are not
/// touched); blocking ends their sessions there at once.
#[server(endpoint = "set_user_blocked")]
pub async fn set_user_blocked(user_id: i64, blocked: bool) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{audit, membership, session};

    let (db, c) = authorize(Permission::ManageUsers).await?;
    if user_id == c.user_id {
        return Err(AppError::Forbidden);
    }
    if membership::get(&db, user_id, c.company_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    membership::set_blocked(&db, user_id, c.company_id, blocked).await?;
    if blocked {
        session::delete_for_user_in_company(&db, user_id, c.company_id).await?;
    }
    let action = if blocked {
        "block_user"
    } else {
        "unblock_user"
    };
    audit::create(
        &db,
        Some(c.company_id),
        Some(c.user_id),
        action,
        &user_id.to_string(),
        &c.ip,
    )
    .await?;
    Ok(())
}

/// Gives a staff member of the company another staff role (F42). One's own role stays (an
/// administrator cannot lock the company out by mistake); residents are the cabinet's, not
/// staff, and are not made staff here. The new role holds from the member's next request.
#[server(endpoint = "set_user_role")]
pub async fn set_user_role(user_id: i64, role: Role) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::Permission;
    use crate::storage::{audit, membership, user};

    let (db, c) = authorize(Permission::ManageUsers).await?;
    if user_id == c.user_id {
        return Err(AppError::Forbidden);
    }
    let was = membership::get(&db, user_id, c.company_id).await?.ok_or(AppError::NotFound)?;
    if role == Role::Resident || was.role == Role::Resident {
        return Err(AppError::invalid(Msg::Role, Problem::BadFormat));
    }
    if was.role == role {
        return Ok(());
    }
    membership::set_role(&db, user_id, c.company_id, role).await?;
    let login = user::get(&db, user_id).await?.login;
    audit::create(&db, Some(c.company_id), Some(c.user_id), "user.role", &format!("{login}: {} → {}", was.role.as_str(), role.as_str()), &c.ip).await?;
    Ok(())
}

/// Adds a person who already has an Uchet login (in another company: a holding's
/// dispatcher, a contractor's engineer) to this company in a staff role; they pick the
/// company after signing in.
#[server(endpoint = "add_member")]
pub async fn add_member(login: String, role: Role) -> Result<UserRow, AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::Permission;
    use crate::storage::{audit, membership, user};

    let (db, c) = authorize(Permission::ManageUsers).await?;
    let login = login.trim().to_lowercase();
    if login.is_empty() {
        return Err(AppError::invalid(Msg::Login, Problem::Required));
    }
    if role == Role::Resident {
        return Err(AppError::invalid(Msg::Role, Problem::BadFormat));
    }
    let u = user::get_by_login(&db, &login).await?.ok_or(AppError::invalid(Msg::Login, Problem::Unknown))?;
    if membership::get(&db, u.id, c.company_id).await?.is_some() {
        return Err(AppError::invalid(Msg::Login, Problem::AlreadyExists));
    }
    membership::create(&db, u.id, c.company_id, role).await?;
    audit::create(&db, Some(c.company_id), Some(c.user_id), "user.add", &format!("{login} {}", role.as_str()), &c.ip).await?;
    Ok(UserRow { id: u.id, login, full_name: u.full_name, role, blocked: u.blocked, last_sign_in: None, me: false })
}
