//! The residents' cabinet (F44). Nothing here takes a premise the session's user does not
//! hold: what a resident sees is decided by the session alone.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::cabinet::{CabinetView, PremiseConsumption};
use crate::models::field::FieldSheet;

/// My premises, their meters with last readings, and the company's contacts.
#[server(endpoint = "my_cabinet")]
pub async fn my_cabinet() -> Result<CabinetView, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::OwnPremises).await?;
    crate::queries::cabinet::cabinet(&db, &c).await
}

/// One of my premises' consumption (the first without `premise`): a year by month, or a
/// month by day.
#[server(endpoint = "my_consumption")]
pub async fn my_consumption(
    premise: Option<i64>,
    year: Option<i32>,
    month: Option<NaiveDate>,
) -> Result<PremiseConsumption, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::OwnPremises).await?;
    crate::queries::cabinet::consumption(&db, &c, premise, year, month).await
}

/// The sheets I type readings into, one per building of my premises.
#[server(endpoint = "my_sheets")]
pub async fn my_sheets() -> Result<Vec<FieldSheet>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::OwnPremises).await?;
    crate::queries::cabinet::sheets(&db, &c).await
}
