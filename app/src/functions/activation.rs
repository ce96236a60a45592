//! Activation codes and invites (F41): a dispatcher gives the premises of a building their
//! keys to the residents' cabinet — on paper for the whole building at once, one by one, or
//! mailed to an owner. Codes hold a week; a premise with a resident gets none.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::cabinet::CodeSheet;

/// A building's premises with their codes (codes are keys: dispatchers only).
#[server(endpoint = "activation_codes")]
pub async fn activation_codes(object: Option<i64>) -> Result<CodeSheet, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::EditData).await?;
    crate::queries::activation::sheet(&db, &c, object).await
}

/// Codes for a building: with `premise`, a new code for that premise (an old one ends);
/// without, a code for every premise that has neither a resident nor a valid code. Returns
/// how many codes were made.
#[server(endpoint = "create_codes")]
pub async fn create_codes(object: i64, premise: Option<i64>) -> Result<usize, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{activation_code, audit, object as objects, premise as premises, resident};

    let (db, c) = authorize(Permission::EditData).await?;
    let o = objects::get(&db, c.company_id, object).await?;
    let now = crate::storage::now();
    let residents = resident::count_by_premise(&db, c.company_id, o.id).await?;
    let has_resident = |id: i64| residents.iter().any(|(p, n)| *p == id && *n > 0);
    let mut made = 0;
    match premise {
        Some(id) => {
            let p = premises::get(&db, c.company_id, id).await?;
            if p.object_id != o.id {
                return Err(AppError::NotFound);
            }
            if has_resident(p.id) {
                return Err(already_activated());
            }
            activation_code::revoke_for_premise(&db, c.company_id, p.id, now).await?;
            activation_code::create(&db, c.company_id, p.id, "", Some(c.user_id), now).await?;
            made = 1;
        }
        None => {
            let valid = activation_code::list_valid_for_object(&db, c.company_id, o.id, now).await?;
            for p in premises::list(&db, c.company_id, o.id).await? {
                if has_resident(p.id) || valid.iter().any(|v| v.premise_id == p.id) {
                    continue;
                }
                activation_code::create(&db, c.company_id, p.id, "", Some(c.user_id), now).await?;
                made += 1;
            }
        }
    }
    audit::create(
        &db,
        Some(c.company_id),
        Some(c.user_id),
        "create_codes",
        &format!("object {} premise {premise:?}: {made}", o.id),
        &c.ip,
    )
    .await?;
    Ok(made)
}

/// Mails an owner a code for their premise, with a link to registration.
#[server(endpoint = "invite_resident")]
pub async fn invite_resident(premise: i64, email: String) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::mail::{Invite, MailConfig};
    use crate::models::cabinet::email_ok;
    use crate::models::Permission;
    use crate::storage::{activation_code, audit, company, object, premise as premises, resident};

    let (db, c) = authorize(Permission::EditData).await?;
    let email = email.trim().to_lowercase();
    if !email_ok(&email) {
        return Err(AppError::invalid(Msg::Email, Problem::BadFormat));
    }
    let p = premises::get(&db, c.company_id, premise).await?;
    let residents = resident::count_by_premise(&db, c.company_id, p.object_id).await?;
    if residents.iter().any(|(id, n)| *id == p.id && *n > 0) {
        return Err(already_activated());
    }
    let config = use_context::<MailConfig>().unwrap_or_default();
    if !config.enabled {
        return Err(AppError::MailNotConfigured);
    }
    let o = object::get(&db, c.company_id, p.object_id).await?;
    let company = company::get(&db, c.company_id).await?;
    let now = crate::storage::now();
    activation_code::revoke_for_premise(&db, c.company_id, p.id, now).await?;
    let code = activation_code::create(&db, c.company_id, p.id, &email, Some(c.user_id), now).await?;
    let parts = use_context::<http::request::Parts>();
    let base_url = config.base_url(parts.as_ref());
    let invite = Invite {
        company: &company.name,
        address: &o.address,
        premise: &p.number,
        code: &code.code,
        valid_until: crate::consumption::calendar::local_date(
            crate::queries::readings_table::zone(&o),
            code.expires_at,
        ),
        base_url: &base_url,
    };
    crate::mail::queue(&db, &config, c.company_id, &email, invite.letter()).await?;
    audit::create(
        &db,
        Some(c.company_id),
        Some(c.user_id),
        "invite_resident",
        &format!("premise {} {email}", p.id),
        &c.ip,
    )
    .await?;
    Ok(())
}

/// A premise that has a resident needs no code.
#[cfg(feature = "ssr")]
fn already_activated() -> AppError {
    AppError::invalid(
        crate::i18n::Msg::CodesPremise,
        crate::errors::Problem::AlreadyExists,
    )
}
