//! Monitoring (issue 23): «Нештатные ситуации» and «Журнал событий», and resolving a
//! situation with a comment.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::monitoring::{Journal, Situations};

/// The unresolved situations of one building or all (`resolved`: the resolved ones too).
#[server(endpoint = "abnormal_situations")]
pub async fn abnormal_situations(object: Option<i64>, #[server(default)] resolved: bool) -> Result<Situations, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::monitoring::situations::list(&db, &c, object, resolved).await
}

/// Resolves a situation; the comment says what was done.
#[server(endpoint = "resolve_situation")]
pub async fn resolve_situation(id: i64, comment: String) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::EditData).await?;
    crate::queries::monitoring::situations::resolve(&db, &c, id, &comment).await
}

/// The event journal by the filters the page's address holds (`object`, `kind`, `severity`,
/// `resource`, `from`, `to`).
#[server(endpoint = "event_journal")]
pub async fn event_journal(query: String) -> Result<Journal, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let q = crate::models::monitoring::JournalQuery::from_pairs(query.split('&').filter_map(|p| p.split_once('=')));
    crate::queries::monitoring::journal::journal(&db, &c, q).await
}
