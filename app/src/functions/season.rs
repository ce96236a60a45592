//! «Сервис → Сезон» (issue 26, point 2; F33): buildings' heating seasons, seen by whoever
//! sees the company's data, changed and undone by its dispatchers.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::season::SeasonPage;

/// Every working building with its season now and its changes.
#[server(endpoint = "seasons")]
pub async fn seasons() -> Result<SeasonPage, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::season::page(&db, &c, crate::storage::now()).await
}

/// Puts buildings `objects` into the heating season (`heating`) or between seasons from
/// `starts_on` (`yyyy-mm-dd`), all or none; answers how many changed. No building chosen
/// (a form sends no `objects` then) is a field left empty, not a broken request.
#[server(endpoint = "set_season")]
pub async fn set_season(#[server(default)] objects: Vec<i64>, heating: bool, starts_on: String) -> Result<usize, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::EditData).await?;
    crate::queries::season::set(&db, &c, &objects, heating, &starts_on, crate::storage::now()).await
}

/// Undoes building `object`'s newest season change, on the day it was made.
#[server(endpoint = "undo_season")]
pub async fn undo_season(object: i64) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::EditData).await?;
    crate::queries::season::undo(&db, &c, object, crate::storage::now()).await
}
