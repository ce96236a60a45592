//! Getting into the residents' cabinet (F41, F44): a code from the company — printed for the
//! premise or mailed as an invite — makes an account attached to that premise, or adds the
//! premise to an account that exists. Asking about a code needs no session; wrong codes are
//! counted per address and slowed down like wrong passwords.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::cabinet::CodeTarget;

/// What a valid code opens, before registering: company, address, flat and how long it holds.
#[server(endpoint = "code_info")]
pub async fn code_info(code: String) -> Result<CodeTarget, AppError> {
    use crate::auth::caller;

    let db = caller::db()?;
    let ip = caller::client_ip();
    let c = valid_code(&db, &code, &ip).await?;
    let p = crate::storage::premise::get(&db, c.company_id, c.premise_id).await?;
    let o = crate::storage::object::get(&db, c.company_id, p.object_id).await?;
    let company = crate::storage::company::get(&db, c.company_id).await?;
    let tz = crate::queries::readings_table::zone(&o);
    Ok(CodeTarget {
        company: company.name,
        address: o.address,
        premise: p.number,
        email: c.email,
        valid_until: crate::consumption::calendar::local_date(tz, c.expires_at),
    })
}

/// A new resident: the code's premise becomes theirs, they are signed in and sent to the
/// cabinet. Their email is their login.
#[server(endpoint = "register_resident")]
pub async fn register_resident(
    code: String,
    full_name: String,
    email: String,
    password: String,
    password_again: String,
    consent: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::{caller, password as pw, start_session};
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::cabinet::email_ok;
    use crate::storage::{user, StorageError};

    let db = caller::db()?;
    let ip = caller::client_ip();
    let full_name = full_name.trim().to_string();
    let email = email.trim().to_lowercase();
    if full_name.is_empty() {
        return Err(AppError::invalid(Msg::FullName, Problem::Required));
    }
    if full_name.chars().count() > 200 {
        return Err(AppError::invalid(Msg::FullName, Problem::TooLong));
    }
    if !email_ok(&email) {
        return Err(AppError::invalid(Msg::Email, Problem::BadFormat));
    }
    pw::check_new(&password, &email).map_err(|p| AppError::invalid(Msg::Password, p))?;
    if password != password_again {
        return Err(AppError::invalid(Msg::PasswordAgain, Problem::Mismatch));
    }
    if consent.is_none() {
        return Err(AppError::invalid(Msg::RegConsent, Problem::Required));
    }
    let c = valid_code(&db, &code, &ip).await?;
    if user::get_by_login(&db, &email).await?.is_some() {
        return Err(AppError::invalid(Msg::Email, Problem::AlreadyExists));
    }
    let created = user::create(
        &db,
        &user::User {
            login: email.clone(),
            password_hash: pw::hash(password).await,
            full_name,
            email,
            ..Default::default()
        },
    )
    .await
    .map_err(|e| match e {
        StorageError::AlreadyExists => AppError::invalid(Msg::Email, Problem::AlreadyExists),
        other => other.into(),
    })?;
    if let Err(e) = activate(&db, &c, created.id, &ip).await {
        // the code was taken at the same moment by someone else: no account without a premise
        user::delete(&db, created.id).await?;
        return Err(e);
    }
    start_session(&db, created.id, c.company_id, &ip).await?;
    tracing::info!(user_id = created.id, premise_id = c.premise_id, "resident registered");
    leptos_axum::redirect("/my");
    Ok(())
}

/// A signed-in resident adds another premise by its code.
#[server(endpoint = "claim_code")]
pub async fn claim_code(code: String) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::OwnPremises).await?;
    let code = valid_code(&db, &code, &c.ip).await?;
    if crate::storage::resident::holds(&db, code.company_id, c.user_id, code.premise_id).await? {
        return Ok(());
    }
    activate(&db, &code, c.user_id, &c.ip).await
}

/// The stored code behind what was typed, if it is still valid. Every miss counts against
/// the address it came from.
#[cfg(feature = "ssr")]
async fn valid_code(
    db: &crate::storage::Db,
    typed: &str,
    ip: &str,
) -> Result<crate::storage::activation_code::ActivationCode, AppError> {
    use crate::storage::activation_code::{get_by_code, normalize};

    // codes have a counter of their own per address, apart from sign-ins
    crate::auth::sign_in_gate().admit_code(ip, chrono::Utc::now().timestamp_millis())?;
    let found = match normalize(typed) {
        Some(code) => get_by_code(db, &code).await?,
        None => None,
    };
    match found {
        Some(c) if c.is_valid(crate::storage::now()) => {
            crate::auth::sign_in_gate().code_found(ip);
            Ok(c)
        }
        _ => {
            tracing::info!(ip = %ip, "activation code not valid");
            Err(AppError::CodeNotValid)
        }
    }
}

/// Uses the code for `user_id`: the premise becomes theirs (with a resident's membership in
/// its company), and the premise's other codes end — it is activated now.
#[cfg(feature = "ssr")]
async fn activate(
    db: &crate::storage::Db,
    code: &crate::storage::activation_code::ActivationCode,
    user_id: i64,
    ip: &str,
) -> Result<(), AppError> {
    use crate::models::Role;
    use crate::storage::{activation_code, audit, membership, premise, resident};

    let now = crate::storage::now();
    let member = membership::get(db, user_id, code.company_id).await?;
    if member.as_ref().is_some_and(|m| m.role != Role::Resident) {
        // staff of the company keep their role; a code is for residents
        return Err(AppError::Forbidden);
    }
    if !activation_code::mark_used(db, code.id, user_id, now).await? {
        return Err(AppError::CodeNotValid);
    }
    if member.is_none() {
        membership::create(db, user_id, code.company_id, Role::Resident).await?;
    }
    let p = premise::get(db, code.company_id, code.premise_id).await?;
    resident::attach(db, user_id, &p).await?;
    activation_code::revoke_for_premise(db, code.company_id, code.premise_id, now).await?;
    audit::create(
        db,
        Some(code.company_id),
        Some(user_id),
        "activate_premise",
        &format!("premise {}", code.premise_id),
        ip,
    )
    .await?;
    Ok(())
}
