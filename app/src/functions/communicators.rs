//! «Сервис → Коммуникаторы» (issue 22, point 7; F32): the company's lines, seen by whoever
//! sees its data, made, changed and removed by whoever services its meters.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::communicators::{CommunicatorCard, CommunicatorForm, CommunicatorList};

/// The lines a page's query (`object=…&line=…`) leaves.
#[server(endpoint = "list_communicators")]
pub async fn list_communicators(query: String) -> Result<CommunicatorList, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::communicators::CommunicatorQuery;
    use crate::models::format::query_pairs;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let pairs = query_pairs(&query);
    let q = CommunicatorQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    crate::queries::communicators::list(&db, &c, q).await
}

/// Line `id`'s card with its meters, or a new line's form (in building `object`).
#[server(endpoint = "open_communicator")]
pub async fn open_communicator(id: Option<i64>, object: Option<i64>) -> Result<CommunicatorCard, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::communicators::card(&db, &c, id, object).await
}

/// Checks and keeps a new line (`id` None) or line `id`; answers its id.
#[server(endpoint = "save_communicator")]
pub async fn save_communicator(id: Option<i64>, form: CommunicatorForm) -> Result<i64, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ServiceMeters).await?;
    crate::queries::communicators::save(&db, &c, id, &form).await
}

/// Removes line `id` when no meter in service hangs on it.
#[server(endpoint = "delete_communicator")]
pub async fn delete_communicator(id: i64) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ServiceMeters).await?;
    crate::queries::communicators::remove(&db, &c, id).await
}
