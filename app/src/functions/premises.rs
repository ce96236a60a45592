//! «Помещения дома» (issue 22, point 4): a building's premises, seen by the staff, added,
//! changed and deleted by whoever manages buildings.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::premises::{PremiseForm, PremisesPage, RangeAdded, RangeForm};

/// Building `object`'s premises with their accounts and meters.
#[server(endpoint = "building_premises")]
pub async fn building_premises(object: i64) -> Result<PremisesPage, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewObjects).await?;
    crate::queries::premises::page(&db, &c, object).await
}

/// Adds a range of flats to building `object`; numbers already there stay as they were.
#[server(endpoint = "add_premise_range")]
pub async fn add_premise_range(object: i64, form: RangeForm) -> Result<RangeAdded, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ManageObjects).await?;
    crate::queries::premises::add_range(&db, &c, object, &form).await
}

/// Adds one premise (`id` None) to building `object`, or changes premise `id`.
#[server(endpoint = "save_premise")]
pub async fn save_premise(object: i64, id: Option<i64>, form: PremiseForm) -> Result<i64, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ManageObjects).await?;
    crate::queries::premises::save(&db, &c, object, id, &form).await
}

/// Deletes premise `id` of building `object` when nothing hangs on it.
#[server(endpoint = "delete_premise")]
pub async fn delete_premise(object: i64, id: i64) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ManageObjects).await?;
    crate::queries::premises::remove(&db, &c, object, id).await
}
