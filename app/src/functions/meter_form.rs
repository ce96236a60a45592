//! The add-meter wizard and the meter's edit form (F29), for whoever services meters.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::meter_form::{FormPlaces, MeterForm, MeterFormData, MeterSaved};

/// A new meter's form (in `object`, or the first building), or meter `id`'s as stored.
#[server(endpoint = "open_meter_form")]
pub async fn open_meter_form(id: Option<i64>, object: Option<i64>) -> Result<MeterFormData, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ServiceMeters).await?;
    crate::queries::meter_form::open(&db, &c, id, object).await
}

/// The premises and lines of building `object`, for the form's choices.
#[server(endpoint = "meter_form_places")]
pub async fn meter_form_places(object: i64) -> Result<FormPlaces, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ServiceMeters).await?;
    crate::queries::meter_form::places(&db, &c, object).await
}

/// Checks and writes a new meter (`id` None) or meter `id`; answers its id, or the reasons
/// nothing was written.
#[server(endpoint = "save_meter")]
pub async fn save_meter(id: Option<i64>, form: MeterForm) -> Result<MeterSaved, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ServiceMeters).await?;
    crate::queries::meter_form::save(&db, &c, id, form).await
}

/// Takes meter `id` out of service: no longer polled, due for verification or offered for
/// typing; its readings and consumption stay. Asking twice changes nothing.
#[server(endpoint = "retire_meter")]
pub async fn retire_meter(id: i64) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ServiceMeters).await?;
    crate::queries::meter_form::retire(&db, &c, id).await
}
