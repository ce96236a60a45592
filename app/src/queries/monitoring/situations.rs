//! «Нештатные ситуации» (F21): the computed events and the meters' own alarms (tampering,
//! as the seed puts it: «вмешательства извне в работу ПУ») nobody resolved yet, and
//! resolving one with a comment.

use crate::auth::caller::Caller;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::monitoring::{SituationCounts, Situations};
use crate::storage::{audit, event, now, Db};

/// The most situations the page shows, newest first: a company's worst morning is a few
/// thousand, and a building chosen shows all of its own. The counts above the list are of all.
pub const SHOWN: i64 = 1_000;
/// The most situations a file holds.
pub const ALL: i64 = 10_000;

/// The longest comment a resolution keeps.
pub const COMMENT_MAX: usize = 1_000;

/// The open situations of one building or all, the newest `limit`; with `resolved`, the
/// resolved ones too. The counts are of all of them.
pub async fn list(db: &Db, caller: &Caller, object_id: Option<i64>, resolved: bool, limit: i64) -> Result<Situations, AppError> {
    super::check_object(db, caller.company_id, object_id).await?;
    let filter = event::Filter {
        object_id,
        situations: true,
        unresolved_only: !resolved,
        limit,
        ..Default::default()
    };
    let mut counts = SituationCounts::default();
    for (severity, open, all) in event::count_situations(db, caller.company_id, object_id).await? {
        let open = open.max(0) as u64;
        match severity.as_str() {
            "alarm" => counts.alarms += open,
            "warning" => counts.warnings += open,
            _ => counts.infos += open,
        }
        counts.matching += if resolved { all.max(0) as u64 } else { open };
    }
    let rows = event::list(db, caller.company_id, &filter)
        .await?
        .into_iter()
        .filter_map(super::row_of)
        .collect();
    Ok(Situations {
        object_id,
        resolved,
        objects: super::objects(db, caller.company_id).await?,
        rows,
        counts,
    })
}

/// Resolves a situation with the dispatcher's comment, journaled in the action log.
pub async fn resolve(db: &Db, caller: &Caller, id: i64, comment: &str) -> Result<(), AppError> {
    let comment = comment.trim();
    if comment.is_empty() {
        return Err(AppError::invalid(Msg::EvComment, Problem::Required));
    }
    if comment.chars().count() > COMMENT_MAX {
        return Err(AppError::invalid(Msg::EvComment, Problem::TooLong));
    }
    if !event::resolve(db, caller.company_id, id, caller.user_id, comment, now()).await? {
        // another company's, unknown, or resolved a moment ago by someone else
        return Err(AppError::NotFound);
    }
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "event.resolve", &format!("event={id}; {comment}"), &caller.ip).await?;
    Ok(())
}
