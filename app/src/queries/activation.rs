//! A building's premises with their activation codes (F41): who is registered, which code
//! holds and until when, and what became of a mailed invite.

use super::readings_table::zone;
use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::cabinet::{CodeRow, CodeSheet, MailState};
use crate::storage::{account, activation_code, company, mail, object, premise, resident, Db};

pub async fn sheet(db: &Db, caller: &Caller, object_id: Option<i64>) -> Result<CodeSheet, AppError> {
    let objects = object::list(db, caller.company_id).await?;
    let o = match object_id {
        Some(id) => object::get(db, caller.company_id, id).await?,
        None => objects.first().cloned().ok_or(AppError::NotFound)?,
    };
    let tz = zone(&o);
    let now = crate::storage::now();
    let residents = resident::count_by_premise(db, caller.company_id, o.id).await?;
    let codes = activation_code::list_valid_for_object(db, caller.company_id, o.id, now).await?;
    let accounts = account::list_for_object(db, caller.company_id, o.id).await?;
    let mut rows = Vec::new();
    for p in premise::list(db, caller.company_id, o.id).await? {
        // the newest valid code of the premise
        let code = codes.iter().find(|c| c.premise_id == p.id);
        let mail = match code.filter(|c| !c.email.is_empty()) {
            Some(c) => mail::list_for_recipient(db, caller.company_id, &c.email)
                .await?
                .into_iter()
                .find(|l| l.created_at >= c.created_at)
                .map(|l| match (l.sent_at, l.last_error.is_empty()) {
                    (Some(_), _) => MailState::Sent,
                    (None, true) => MailState::Waiting,
                    (None, false) => MailState::Failed(l.last_error),
                }),
            None => None,
        };
        rows.push(CodeRow {
            premise_id: p.id,
            number: p.number.clone(),
            accounts: accounts
                .iter()
                .filter(|a| a.premise_id == p.id)
                .map(|a| a.number.clone())
                .collect(),
            residents: residents
                .iter()
                .find(|(id, _)| *id == p.id)
                .map(|(_, n)| *n)
                .unwrap_or(0),
            code: code.map(|c| c.code.clone()),
            valid_until: code.map(|c| calendar::local_date(tz, c.expires_at)),
            email: code.map(|c| c.email.clone()).filter(|e| !e.is_empty()),
            mail,
        });
    }
    Ok(CodeSheet {
        object_id: o.id,
        object_name: o.name.clone(),
        address: o.address.clone(),
        company: company::get(db, caller.company_id).await?.name,
        objects: objects.into_iter().map(|x| (x.id, x.name)).collect(),
        rows,
    })
}
