//! «Не опрашиваются»: the quiet meters of a company or of one building, with times in each
//! building's own zone.

use crate::auth::caller::Caller;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::not_polled::{Silence, SilentList, SilentRow};
use crate::models::Resource;
use crate::queries::local_time;
use crate::storage::{now, object, silent_meter, Db};

/// Meters that did not answer their latest poll or were not heard from for more than `days`.
pub async fn list(
    db: &Db,
    caller: &Caller,
    object_id: Option<i64>,
    days: i64,
) -> Result<SilentList, AppError> {
    if !(1..=366).contains(&days) {
        return Err(AppError::Invalid {
            field: Msg::NpDays,
            problem: Problem::BadFormat,
        });
    }
    if let Some(id) = object_id {
        object::get(db, caller.company_id, id).await?;
    }
    let objects = object::list(db, caller.company_id)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let at = now();
    let meters = silent_meter::list(db, caller.company_id, object_id, at - days * 86_400).await?;
    let rows = meters
        .into_iter()
        .map(|m| {
            let tz = m.time_zone.parse().unwrap_or(chrono_tz::Europe::Moscow);
            let silence = match (m.poll_ok, m.last_contact_at) {
                (Some(false), _) => Silence::NoAnswer,
                (_, None) => Silence::Never,
                _ => Silence::Quiet,
            };
            SilentRow {
                meter_id: m.meter_id,
                object_id: m.object_id,
                object: m.object_name,
                place: super::place(&m.placement, m.premise.as_deref()),
                resource: Resource::parse(&m.resource).unwrap_or(Resource::Electricity),
                model: m.model,
                serial: m.serial,
                line: m.line,
                last_contact: m.last_contact_at.map(|ts| local_time(tz, ts)),
                days: m.last_contact_at.map(|ts| (at - ts).max(0) / 86_400),
                polled: m.poll_at.map(|ts| local_time(tz, ts)),
                silence,
                message: if m.poll_ok == Some(false) {
                    m.poll_message
                } else {
                    String::new()
                },
            }
        })
        .collect();
    Ok(SilentList {
        days,
        object_id,
        objects,
        rows,
    })
}
