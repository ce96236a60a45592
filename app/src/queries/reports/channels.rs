//! «Перечень измерительных каналов»: every channel of every meter of a building — what it
//! measures, in what unit, over which line — and what changed in the month: meters installed,
//! replacing another, taken out, or added to Uchet. The changes are read from the meters'
//! own dates (installation, the meter that replaced them, creation in Uchet).

use std::collections::HashMap;

use chrono::{Months, NaiveDate};

use crate::consumption::calendar;
use crate::errors::AppError;
use crate::i18n::{parameter_name, resource_name, state_name, unit_text, Lang, Msg};
use crate::models::reports::{Report, Cell};
use crate::queries::readings_table::zone;
use crate::storage::{channel, communicator, meter, object, premise, Db};

pub async fn make(db: &Db, company_id: i64, objects: &[object::Object], month: NaiveDate, lang: Lang) -> Result<Report, AppError> {
    let tx = |m: Msg| m.text(lang).to_string();
    let next = month + Months::new(1);
    let within = |d: Option<NaiveDate>| d.is_some_and(|d| d >= month && d < next);
    let lines: HashMap<i64, String> = communicator::list(db, company_id).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let mut rows = Vec::new();
    let (mut channels, mut changed) = (0usize, 0usize);
    for o in objects {
        let tz = zone(o);
        let meters = meter::list_for_object(db, company_id, o.id).await?;
        let by_id: HashMap<i64, &meter::Meter> = meters.iter().map(|m| (m.id, m)).collect();
        // who replaced whom: a retired meter's change is its successor's installation
        let successor: HashMap<i64, &meter::Meter> = meters.iter().filter_map(|m| m.replaces_meter_id.map(|old| (old, m))).collect();
        let premises: HashMap<i64, String> = premise::list(db, company_id, o.id).await?.into_iter().map(|p| (p.id, p.number)).collect();
        for c in channel::list_for_object(db, company_id, o.id).await? {
            let Some(m) = by_id.get(&c.meter_id) else { continue };
            let installed = m.installed_on.or_else(|| m.replaces_meter_id.map(|_| calendar::local_date(tz, m.created_at)));
            let mut change = Vec::new();
            if within(installed) {
                change.push(match m.replaces_meter_id.and_then(|old| by_id.get(&old)) {
                    Some(old) => format!("{} № {}", tx(Msg::RepChangeReplaced), old.serial),
                    None => tx(Msg::RepChangeInstalled),
                });
            } else if within(Some(calendar::local_date(tz, m.created_at))) {
                change.push(tx(Msg::RepChangeAdded));
            }
            if let Some(new) = successor.get(&m.id) {
                let on = new.installed_on.unwrap_or_else(|| calendar::local_date(tz, new.created_at));
                if within(Some(on)) {
                    change.push(format!("{} № {}", tx(Msg::RepChangeRemoved), new.serial));
                }
            }
            channels += 1;
            changed += usize::from(!change.is_empty());
            let place = crate::queries::place(m.placement.as_str(), m.premise_id.and_then(|p| premises.get(&p)).map(String::as_str));
            rows.push(vec![
                Cell::from(o.name.clone()),
                place.into(),
                tx(resource_name(m.resource)).into(),
                m.model.clone().into(),
                m.serial.clone().into(),
                parameter_name(&c.parameter, lang).into(),
                unit_text(&c.unit, lang).into(),
                m.communicator_id.and_then(|id| lines.get(&id)).cloned().unwrap_or_default().into(),
                m.bus_address.clone().into(),
                tx(state_name(m.state)).into(),
                installed.into(),
                change.join("; ").into(),
            ]);
        }
    }
    let counts = format!(
        "{}: {} · {}: {}",
        tx(Msg::RepChannels),
        crate::models::format::integer(channels as i64),
        tx(Msg::RepChangedInMonth),
        crate::models::format::integer(changed as i64)
    );
    Ok(Report {
        header: [
            Msg::NpObject,
            Msg::ColPlace,
            Msg::NpResource,
            Msg::Model,
            Msg::ColMeter,
            Msg::RepParameter,
            Msg::Unit,
            Msg::RepLine,
            Msg::RepBusAddress,
            Msg::RepState,
            Msg::RepInstalled,
            Msg::RepChange,
        ]
        .map(tx)
        .to_vec(),
        rows,
        title: vec![counts],
        note: Some(tx(Msg::RepChannelsNote)),
        ..Default::default()
    })
}
