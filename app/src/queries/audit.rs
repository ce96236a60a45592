//! The history of users' actions as the administrator reads it: a company's lines, newest
//! first, under the journal's filters, with people's names.

use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::audit::{AuditQuery, AuditRow, AuditView, AUDIT_LIMIT};
use crate::storage::{audit, membership, Db};

/// The company works in Moscow time unless told otherwise; the journal is the company's.
const TZ: chrono_tz::Tz = chrono_tz::Europe::Moscow;

pub async fn journal(db: &Db, caller: &Caller, q: &AuditQuery) -> Result<AuditView, AppError> {
    AppError::check_dates([&q.from, &q.to])?;
    let since = q.from.map(|d| calendar::day_start(TZ, d));
    let until = q.to.map(|d| calendar::day_start(TZ, d + chrono::Duration::days(1)));
    let filter = audit::Filter {
        user_id: q.user,
        action: q.action.clone(),
        since,
        until,
    };
    let mut lines = audit::list_filtered(db, caller.company_id, &filter, AUDIT_LIMIT + 1).await?;
    let truncated = lines.len() as i64 > AUDIT_LIMIT;
    lines.truncate(AUDIT_LIMIT as usize);
    let rows = lines
        .into_iter()
        .map(|l| AuditRow {
            at: chrono::DateTime::from_timestamp(l.at, 0)
                .map(|t| t.with_timezone(&TZ).format("%d.%m.%Y %H:%M:%S").to_string())
                .unwrap_or_default(),
            user: l.full_name.unwrap_or_default(),
            login: l.login.unwrap_or_default(),
            action: l.action,
            details: l.details,
            ip: l.ip,
        })
        .collect();
    let users = membership::list_users(db, caller.company_id)
        .await?
        .into_iter()
        .map(|(u, _, _)| (u.id, format!("{} ({})", u.full_name, u.login)))
        .collect();
    Ok(AuditView {
        rows,
        users,
        truncated,
    })
}
