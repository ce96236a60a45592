//! The first start (issue 22): on a database without companies, anyone who reaches the
//! server may create the company and its administrator — once. `server setup` makes the same
//! through [`make_company`] for scripted installs.

use leptos::prelude::*;

use crate::errors::AppError;

/// The company and its administrator, then a session for them and the company card.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "first_start")]
pub async fn first_start(
    name: String,
    inn: String,
    kpp: String,
    ogrn: String,
    legal_address: String,
    actual_address: String,
    phone: String,
    email: String,
    login: String,
    full_name: String,
    password: String,
    password_again: String,
) -> Result<(), AppError> {
    use crate::auth::{caller, start_session};
    use crate::models::company::CompanyForm;
    use crate::storage::first_start::Created;

    let db = caller::db()?;
    let ip = caller::client_ip();
    let form = CompanyForm {
        name,
        inn,
        kpp,
        ogrn,
        legal_address,
        actual_address,
        phone,
        email,
        ..Default::default()
    };
    let admin = NewAdmin {
        login,
        full_name,
        password,
        password_again,
    };
    match make_company(&db, form, admin, true).await? {
        Created::Made { company, admin } => {
            tracing::info!(company_id = company.id, user_id = admin.id, "first start: company created");
            start_session(&db, admin.id, company.id, &ip).await?;
            leptos_axum::redirect("/settings/company");
            Ok(())
        }
        Created::AlreadySetUp => Err(AppError::AlreadySetUp),
    }
}

/// The administrator a new company starts with.
#[derive(Clone, Debug, Default)]
pub struct NewAdmin {
    pub login: String,
    pub full_name: String,
    pub password: String,
    pub password_again: String,
}

/// Checks the requisites and the administrator, then writes both in one transaction (see
/// `storage::first_start::create`). Used by the first-run page and by `server setup`.
#[cfg(feature = "ssr")]
pub async fn make_company(
    db: &crate::storage::Db,
    form: crate::models::company::CompanyForm,
    admin: NewAdmin,
    only_first: bool,
) -> Result<crate::storage::first_start::Created, AppError> {
    use crate::auth::gate::{MAX_LOGIN_CHARS, MAX_PASSWORD_CHARS};
    use crate::auth::password as pw;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::storage::{company, first_start, user, StorageError};

    let form = form.trimmed();
    form.check().map_err(|(m, p)| AppError::invalid(m, p))?;
    let login = admin.login.trim().to_lowercase();
    let full_name = admin.full_name.trim().to_string();
    if login.is_empty() {
        return Err(AppError::invalid(Msg::Login, Problem::Required));
    }
    if login.chars().any(char::is_whitespace) {
        return Err(AppError::invalid(Msg::Login, Problem::BadFormat));
    }
    if login.chars().count() > MAX_LOGIN_CHARS {
        return Err(AppError::invalid(Msg::Login, Problem::TooLong));
    }
    if full_name.is_empty() {
        return Err(AppError::invalid(Msg::FullName, Problem::Required));
    }
    if admin.password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid(Msg::Password, Problem::TooLong));
    }
    pw::check_new(&admin.password, &login).map_err(|p| AppError::invalid(Msg::Password, p))?;
    if admin.password != admin.password_again {
        return Err(AppError::invalid(Msg::PasswordAgain, Problem::Mismatch));
    }
    if only_first && !first_start::needed(db).await? {
        return Err(AppError::AlreadySetUp);
    }
    let c = company::Company {
        name: form.name,
        kind: "uk".into(),
        inn: form.inn,
        kpp: form.kpp,
        ogrn: form.ogrn,
        legal_address: form.legal_address,
        actual_address: form.actual_address,
        phone: form.phone,
        email: form.email,
        working_hours: form.working_hours,
        bank_name: form.bank_name,
        bik: form.bik,
        settlement_account: form.settlement_account,
        correspondent_account: form.correspondent_account,
        ..Default::default()
    };
    let u = user::User {
        login,
        password_hash: pw::hash(admin.password).await,
        full_name,
        ..Default::default()
    };
    first_start::create(db, &c, &u, only_first)
        .await
        .map_err(|e| match e {
            StorageError::AlreadyExists => AppError::invalid(Msg::Login, Problem::AlreadyExists),
            other => other.into(),
        })
}
