//! One meter for dispatchers and readers.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::archive::{ArchiveKind, MeterArchive};
use crate::models::meter_card::MeterCard;

/// The meter's card with a month of daily consumption (the current month by default).
#[server(endpoint = "meter_card")]
pub async fn get_meter_card(id: i64, month: Option<NaiveDate>) -> Result<MeterCard, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::meter_card::card(&db, &c, id, month).await
}

/// A dispatcher confirms a reading that waits for confirmation (it counts from now on) or
/// rejects it (kept for the record, never counted). Recorded in the audit log.
#[server(endpoint = "review_reading")]
pub async fn review_reading(
    meter_id: i64,
    period: i64,
    ts: i64,
    accept: bool,
) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{audit, meter, reading};

    let (db, c) = authorize(Permission::EditData).await?;
    let m = meter::get(&db, c.company_id, meter_id).await?;
    let channel = crate::queries::history::main_channel(&db, c.company_id, m.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let period = reading::Period::from_i64(period).map_err(|_| AppError::NotFound)?;
    if !reading::review(&db, c.company_id, channel.id, period, ts, accept).await? {
        return Err(AppError::NotFound);
    }
    crate::monitoring::settle_readings(&db, c.company_id, m.id, crate::storage::now()).await?;
    let action = if accept {
        "reading.confirm"
    } else {
        "reading.reject"
    };
    audit::create(
        &db,
        Some(c.company_id),
        Some(c.user_id),
        action,
        &format!("meter {} ({}), ts {ts}", m.id, m.serial),
        &c.ip,
    )
    .await?;
    Ok(())
}

/// A meter's hourly, daily or monthly archive over the span holding `date`.
#[server(endpoint = "meter_archive")]
pub async fn get_meter_archive(
    id: i64,
    #[server(default)] kind: ArchiveKind,
    date: Option<NaiveDate>,
) -> Result<MeterArchive, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::archive::archive(&db, &c, id, kind, date).await
}
