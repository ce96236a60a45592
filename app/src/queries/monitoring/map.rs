//! «Карта приборов» (F20): the company's buildings with their meters counted by last
//! contact, and one building's meters worst first.

use std::collections::HashMap;

use crate::auth::caller::Caller;
use crate::errors::AppError;
use crate::models::meter_map::{Contact, MapBuilding, MapMeter, MapPlace, MeterMap};
use crate::models::text::natural_key;
use crate::models::Resource;
use crate::storage::{meter_contact, now, object, Db};

use super::super::{local_time, place};

/// The map of one building or all, of one resource or all; `tiles` is the configured tile
/// server. Buildings without a meter of the filter are left out.
pub async fn map(db: &Db, caller: &Caller, object_id: Option<i64>, resource: Option<Resource>, tiles: &str) -> Result<MeterMap, AppError> {
    super::check_object(db, caller.company_id, object_id).await?;
    let buildings = object::list(db, caller.company_id).await?;
    let counted = meter_contact::counts(db, caller.company_id, object_id, resource.map(Resource::as_str).unwrap_or(""), now(), &Contact::BOUNDS).await?;
    let mut counts: HashMap<i64, [u32; 8]> = HashMap::new();
    for c in counted {
        if let Some(n) = counts.entry(c.object_id).or_default().get_mut(c.bucket) {
            *n += c.meters.max(0) as u32;
        }
    }
    let places = buildings
        .iter()
        .filter_map(|o| {
            let counts = *counts.get(&o.id)?;
            let at = match (o.latitude, o.longitude) {
                (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => Some((lat, lon)),
                _ => None,
            };
            Some(MapPlace { object_id: o.id, name: o.name.clone(), address: o.address.clone(), at, counts })
        })
        .collect();
    Ok(MeterMap {
        objects: buildings.into_iter().map(|o| (o.id, o.name)).collect(),
        object_id,
        resource,
        tiles: tiles.to_string(),
        places,
    })
}

/// A building's meters in service, silent ones first, then by premise; their last contact
/// in the building's time.
pub async fn building(db: &Db, caller: &Caller, object_id: i64, resource: Option<Resource>) -> Result<MapBuilding, AppError> {
    let o = object::get(db, caller.company_id, object_id).await?;
    let tz = o.time_zone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let at = now();
    // read by hand last: the list is about lines; then the longest silent first, then by
    // flat as people count them (common meters first)
    let rank = |c: Contact| match c {
        Contact::ByHand => 0,
        c => 1 + c.index(),
    };
    let mut listed: Vec<((usize, (u64, String)), MapMeter)> = meter_contact::of_building(db, caller.company_id, object_id, resource.map(Resource::as_str).unwrap_or(""))
        .await?
        .into_iter()
        .filter_map(|r| {
            let contact = Contact::of(r.on_line, r.last_contact_at, at);
            let flat = match r.premise.as_deref() {
                Some(p) if r.placement != "common" => natural_key(p),
                _ => (0, String::new()),
            };
            let m = MapMeter {
                id: r.meter_id,
                resource: Resource::parse(&r.resource)?,
                model: r.model,
                serial: r.serial,
                premise: place(&r.placement, r.premise.as_deref()),
                contact,
                last_contact: r.last_contact_at.map(|ts| local_time(tz, ts)).unwrap_or_default(),
            };
            Some(((usize::MAX - rank(contact), flat), m))
        })
        .collect();
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    let meters = listed.into_iter().map(|(_, m)| m).collect();
    Ok(MapBuilding { object_id, name: o.name, meters })
}
