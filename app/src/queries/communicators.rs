//! «Коммуникаторы» (issue 22, point 7): the company's lines — listed with the meters on each
//! and when they were last heard, opened, made, changed and removed. A name is the line's
//! handle in the meter file, so it is unique within the company; a DevEUI is unique
//! everywhere (an uplink finds its device by it).

use std::collections::HashMap;

use crate::auth::caller::Caller;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::communicators::{
    CommunicatorCard, CommunicatorForm, CommunicatorList, CommunicatorQuery, CommunicatorRow, LineMeter, LineSpec,
};
use crate::models::polling::PROTOCOLS;
use crate::models::text::{lowercase, natural_key};
use crate::models::{Permission, Placement};
use crate::storage::communicator::{self, Communicator};
use crate::storage::{audit, meter, object, premise, Db};

fn spec(c: &Communicator) -> LineSpec {
    LineSpec {
        name: c.name.clone(),
        object_id: c.object_id,
        line: c.line.clone(),
        built_in: c.built_in,
        host: c.host.clone(),
        port: c.port,
        sim_iccid: c.sim_iccid.clone(),
        imsi: c.imsi.clone(),
        phone: c.phone.clone(),
        serial_port: c.serial_port.clone(),
        baud_rate: c.baud_rate,
        parity: c.parity.clone(),
        dev_eui: c.dev_eui.clone(),
        lorawan_class: c.lorawan_class.clone(),
        lorawan_version: c.lorawan_version.clone(),
        field_map: c.field_map.clone(),
        timeout_ms: c.timeout_ms,
        char_timeout_ms: c.char_timeout_ms,
        frame_gap_ms: c.frame_gap_ms,
        retries: c.retries,
    }
}

/// The stored line with the spec's fields over it.
fn apply(mut c: Communicator, s: LineSpec) -> Communicator {
    c.name = s.name;
    c.object_id = s.object_id;
    c.line = s.line;
    c.built_in = s.built_in;
    c.host = s.host;
    c.port = s.port;
    c.sim_iccid = s.sim_iccid;
    c.imsi = s.imsi;
    c.phone = s.phone;
    c.serial_port = s.serial_port;
    c.baud_rate = s.baud_rate;
    c.parity = s.parity;
    c.dev_eui = s.dev_eui;
    c.lorawan_class = s.lorawan_class;
    c.lorawan_version = s.lorawan_version;
    c.field_map = s.field_map;
    c.timeout_ms = s.timeout_ms;
    c.char_timeout_ms = s.char_timeout_ms;
    c.frame_gap_ms = s.frame_gap_ms;
    c.retries = s.retries;
    c
}

fn time_zone(zones: &HashMap<i64, String>, object_id: Option<i64>) -> chrono_tz::Tz {
    object_id
        .and_then(|o| zones.get(&o))
        .and_then(|z| z.parse().ok())
        .unwrap_or(chrono_tz::Europe::Moscow)
}

/// The lines the filters leave, by building then name; shared lines first.
pub async fn list(db: &Db, caller: &Caller, q: CommunicatorQuery) -> Result<CommunicatorList, AppError> {
    if let Some(id) = q.object {
        object::get(db, caller.company_id, id).await?;
    }
    let buildings = object::list_with_archived(db, caller.company_id).await?;
    let names: HashMap<i64, String> = buildings.iter().map(|o| (o.id, o.name.clone())).collect();
    let zones: HashMap<i64, String> = buildings.iter().map(|o| (o.id, o.time_zone.clone())).collect();
    let usage: HashMap<i64, communicator::Usage> =
        communicator::usage(db, caller.company_id).await?.into_iter().map(|u| (u.communicator_id, u)).collect();
    let mut rows: Vec<CommunicatorRow> = communicator::list(db, caller.company_id)
        .await?
        .into_iter()
        .filter(|c| q.object.is_none() || c.object_id == q.object)
        .filter(|c| q.line.is_none_or(|l| c.line == l.as_str()))
        .map(|c| {
            let used = usage.get(&c.id).cloned().unwrap_or_default();
            let tz = time_zone(&zones, c.object_id);
            CommunicatorRow {
                id: c.id,
                object: c.object_id.and_then(|o| names.get(&o).cloned()).unwrap_or_default(),
                meters: used.meters,
                last_contact: used.last_contact_at.map(|t| super::local_time(tz, t)).unwrap_or_default(),
                spec: spec(&c),
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.object, natural_key(&a.spec.name)).cmp(&(&b.object, natural_key(&b.spec.name))));
    let objects = buildings.into_iter().filter(|o| o.archived_at.is_none()).map(|o| (o.id, o.name)).collect();
    Ok(CommunicatorList { query: q, objects, rows, editable: caller.role.allows(Permission::ServiceMeters) })
}

/// A line's card: its form and its meters in service; `None` opens an empty form (the
/// building `object` chosen, if given).
pub async fn card(db: &Db, caller: &Caller, id: Option<i64>, object_id: Option<i64>) -> Result<CommunicatorCard, AppError> {
    let editable = caller.role.allows(Permission::ServiceMeters);
    let buildings = object::list(db, caller.company_id).await?;
    let objects: Vec<(i64, String)> = buildings.iter().map(|o| (o.id, o.name.clone())).collect();
    let Some(id) = id else {
        if !editable {
            return Err(AppError::Forbidden);
        }
        let (t, c, g, r) = crate::models::communicators::DEFAULT_TIMING;
        let form = CommunicatorForm {
            line: "tcp".into(),
            object_id: object_id.filter(|o| objects.iter().any(|(id, _)| id == o)).unwrap_or(0),
            timeout_ms: t.to_string(),
            char_timeout_ms: c.to_string(),
            frame_gap_ms: g.to_string(),
            retries: r.to_string(),
            ..Default::default()
        };
        return Ok(CommunicatorCard { id: None, form, objects, meters: Vec::new(), editable });
    };
    let c = communicator::get(db, caller.company_id, id).await?;
    let zones: HashMap<i64, (String, String)> =
        object::list_with_archived(db, caller.company_id).await?.into_iter().map(|o| (o.id, (o.name, o.time_zone))).collect();
    let mut numbers: HashMap<i64, HashMap<i64, String>> = HashMap::new();
    let mut meters = Vec::new();
    for m in meter::list_for_communicator(db, caller.company_id, id).await? {
        if let std::collections::hash_map::Entry::Vacant(e) = numbers.entry(m.object_id) {
            e.insert(premise::list(db, caller.company_id, m.object_id).await?.into_iter().map(|p| (p.id, p.number)).collect());
        }
        let place = match (m.placement, m.premise_id) {
            (Placement::Individual, Some(p)) => format!("кв. {}", numbers[&m.object_id].get(&p).cloned().unwrap_or_default()),
            _ => "ОДПУ".to_string(),
        };
        let (protocol, _) = meter::protocol_of(db, caller.company_id, m.id).await?;
        let (object, tz) = zones.get(&m.object_id).cloned().unwrap_or_default();
        let tz: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::Europe::Moscow);
        meters.push(LineMeter {
            meter_id: m.id,
            object,
            place,
            model: m.model,
            serial: m.serial,
            protocol: PROTOCOLS.iter().find(|(k, _)| *k == protocol).map(|(_, n)| n.to_string()).unwrap_or(protocol),
            bus_address: m.bus_address,
            last_contact: m.last_contact_at.map(|t| super::local_time(tz, t)).unwrap_or_default(),
        });
    }
    let mut form = CommunicatorForm::of(&spec(&c));
    if form.object_id != 0 && !objects.iter().any(|(o, _)| *o == form.object_id) {
        // an archived building's line: offered as it is, so a save keeps it
        if let Some((name, _)) = zones.get(&form.object_id) {
            let mut objects = objects.clone();
            objects.push((form.object_id, name.clone()));
            return Ok(CommunicatorCard { id: Some(id), form, objects, meters, editable });
        }
        form.object_id = 0;
    }
    Ok(CommunicatorCard { id: Some(id), form, objects, meters, editable })
}

/// Checks and keeps a new line (`id` None) or line `id`; answers its id. Nothing is
/// written while a field is wrong; a line whose meters are in service keeps to their
/// building and stays a polled line (or a radio) as it was.
pub async fn save(db: &Db, caller: &Caller, id: Option<i64>, form: &CommunicatorForm) -> Result<i64, AppError> {
    let s = form.check()?;
    if let Some(o) = s.object_id {
        object::get(db, caller.company_id, o).await.map_err(|_| AppError::invalid(Msg::NpObject, Problem::BadFormat))?;
    }
    let others = communicator::list(db, caller.company_id).await?;
    let name = lowercase(&s.name);
    if others.iter().any(|c| Some(c.id) != id && lowercase(c.name.trim()) == name) {
        return Err(AppError::invalid(Msg::CmName, Problem::AlreadyExists));
    }
    if !s.dev_eui.is_empty() {
        if let Some(c) = communicator::get_by_dev_eui(db, &s.dev_eui).await? {
            if Some(c.id) != id || c.company_id != caller.company_id {
                return Err(AppError::invalid(Msg::CmDevEui, Problem::AlreadyExists));
            }
        }
    }
    let Some(id) = id else {
        let c = communicator::create(db, &apply(Communicator { company_id: caller.company_id, ..Default::default() }, s.clone())).await?;
        // the timing is not in `create` (the table's defaults): a form's own goes in now
        communicator::update(db, &apply(c.clone(), s.clone())).await?;
        audit::create(db, Some(caller.company_id), Some(caller.user_id), "communicator.create", &format!("«{}» #{}: {}", s.name, c.id, s.address()), &caller.ip).await?;
        return Ok(c.id);
    };
    let was = communicator::get(db, caller.company_id, id).await?;
    let on_it = meter::list_for_communicator(db, caller.company_id, id).await?;
    if !on_it.is_empty() {
        if (was.line == "lorawan") != (s.line == "lorawan") {
            return Err(AppError::invalid(Msg::InvLine, Problem::InUse));
        }
        if s.object_id.is_some_and(|o| on_it.iter().any(|m| m.object_id != o)) {
            return Err(AppError::invalid(Msg::NpObject, Problem::InUse));
        }
    }
    let before = spec(&was);
    communicator::update(db, &apply(was, s.clone())).await?;
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "communicator.edit", &format!("«{}» #{id}: {}", s.name, s.changes(&before)), &caller.ip).await?;
    Ok(id)
}

/// Removes line `id` when no meter in service hangs on it (its LoRaWAN packet log goes
/// with it).
pub async fn remove(db: &Db, caller: &Caller, id: i64) -> Result<(), AppError> {
    let c = communicator::get(db, caller.company_id, id).await?;
    if !meter::list_for_communicator(db, caller.company_id, id).await?.is_empty() {
        return Err(AppError::invalid(Msg::CmThisLine, Problem::InUse));
    }
    communicator::delete(db, caller.company_id, id).await?;
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "communicator.delete", &format!("«{}» #{id}: {}", c.name, spec(&c).address()), &caller.ip).await?;
    Ok(())
}
