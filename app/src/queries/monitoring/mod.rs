//! Monitoring's read models: «Нештатные ситуации» and «Журнал событий», from the events the
//! sweep keeps (monitoring::sweep), with times in each building's zone.

pub mod alerts;
pub mod arrival;
pub mod deviation;
pub mod journal;
pub mod lora;
pub mod map;
pub mod situations;

use crate::errors::AppError;
use crate::models::monitoring::{EventKind, EventRow, EventSource, EventValues, Severity};
use crate::models::Resource;
use crate::storage::event::StoredEvent;
use crate::storage::StorageError;

use super::local_time;

/// A stored event as the lists show it; one the lists cannot name (a kind of a newer Uchet)
/// is left out rather than failing the page.
pub(crate) fn row_of(e: StoredEvent) -> Option<EventRow> {
    let kind = EventKind::parse(&e.kind)?;
    let tz = e.time_zone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    Some(EventRow {
        id: e.id,
        object_id: e.object_id,
        object: e.object_name,
        meter_id: e.meter_id,
        place: match &e.placement {
            Some(p) => super::place(p, e.premise.as_deref()),
            None => String::new(),
        },
        resource: e.resource.as_deref().and_then(Resource::parse),
        serial: e.serial.unwrap_or_default(),
        account: e.account.unwrap_or_default(),
        kind,
        severity: Severity::parse(&e.severity).unwrap_or(kind.severity()),
        source: EventSource::parse(&e.source).unwrap_or(EventSource::Computed),
        started: local_time(tz, e.started_at),
        started_at: e.started_at,
        ended: e.ended_at.map(|ts| local_time(tz, ts)),
        resolved: e.resolved_at.map(|ts| local_time(tz, ts)),
        resolved_by: e.resolved_by.unwrap_or_default(),
        comment: e.comment,
        values: serde_json::from_str::<EventValues>(&e.details).unwrap_or_default(),
    })
}

/// The company's buildings for a list's building filter.
pub(crate) async fn objects(db: &crate::storage::Db, company_id: i64) -> Result<Vec<(i64, String)>, StorageError> {
    crate::storage::object::names(db, company_id).await
}

/// The building asked for must be the caller's: another company's is "not found".
pub(crate) async fn check_object(db: &crate::storage::Db, company_id: i64, object_id: Option<i64>) -> Result<(), AppError> {
    if let Some(id) = object_id {
        crate::storage::object::get(db, company_id, id).await?;
    }
    Ok(())
}

/// A meter's events still going on or not yet resolved, newest first (its card shows them).
pub(crate) async fn of_meter(db: &crate::storage::Db, company_id: i64, meter_id: i64) -> Result<Vec<EventRow>, StorageError> {
    let f = crate::storage::event::Filter { meter_id: Some(meter_id), limit: 50, ..Default::default() };
    Ok(crate::storage::event::list(db, company_id, &f)
        .await?
        .into_iter()
        .filter(|e| e.ended_at.is_none() || e.resolved_at.is_none())
        .filter_map(row_of)
        .collect())
}
