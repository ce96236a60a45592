//! «Журнал событий» (F23): every event of a period — from meters and from Uchet's checks,
//! open, ended and resolved — filtered by building, kind, severity and meter type.

use chrono::NaiveDate;

use crate::auth::caller::Caller;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::monitoring::{Journal, JournalQuery, JOURNAL_LIMIT};
use crate::storage::{event, Db};

/// How many days the journal shows when no period is asked.
pub const DEFAULT_DAYS: i64 = 30;

fn day(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
        .ok_or(AppError::invalid(Msg::EvPeriod, Problem::BadFormat))
}

/// The journal of the query's period (the last `DEFAULT_DAYS` days by default), newest first.
pub async fn journal(db: &Db, caller: &Caller, query: JournalQuery) -> Result<Journal, AppError> {
    super::check_object(db, caller.company_id, query.object).await?;
    let today = super::super::verification::today();
    let to = match &query.to {
        Some(t) => day(t)?,
        None => today,
    };
    let from = match &query.from {
        Some(f) => day(f)?,
        None => to - chrono::Duration::days(DEFAULT_DAYS - 1),
    };
    if from > to {
        return Err(AppError::invalid(Msg::EvPeriod, Problem::OutOfRange));
    }
    // the company's days: Moscow until companies get a zone of their own
    let tz = chrono_tz::Europe::Moscow;
    let start = crate::consumption::calendar::day_start(tz, from);
    let end = crate::consumption::calendar::day_start(tz, to.succ_opt().unwrap_or(to));
    let filter = event::Filter {
        object_id: query.object,
        kind: query.kind.map(|k| k.as_str()),
        severity: query.severity.map(|s| s.as_str()),
        resource: query.resource.map(|r| r.as_str()),
        started: Some((start, end)),
        limit: JOURNAL_LIMIT as i64 + 1,
        ..Default::default()
    };
    let mut rows: Vec<_> = event::list(db, caller.company_id, &filter)
        .await?
        .into_iter()
        .filter_map(super::row_of)
        .collect();
    let truncated = rows.len() > JOURNAL_LIMIT;
    rows.truncate(JOURNAL_LIMIT);
    Ok(Journal {
        query,
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        objects: super::objects(db, caller.company_id).await?,
        rows,
        truncated,
    })
}
