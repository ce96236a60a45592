//! One meter for dispatchers and readers.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::meter_card::MeterCard;

/// The meter's card with a month of daily consumption (the current month by default).
#[server(endpoint = "meter_card")]
pub async fn get_meter_card(id: i64, month: Option<NaiveDate>) -> Result<MeterCard, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::meter_card::card(&db, &c, id, month).await
}
