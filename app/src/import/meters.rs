//! Meters from a file, as a previous АСКУЭ or a billing system exports its inventory: a row
//! per meter with its place (building and premise; no premise is a common meter, ОДПУ),
//! resource, model and serial, register, dates and, when it is polled, its line and bus
//! address. A meter is known by its model and serial (unique in the company), so the same
//! file twice changes nothing and a changed row changes its meter; a new meter gets its main
//! channel in the same transaction.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::cells::{any_day, day, whole};
use super::columns::{self, Field};
use super::table::{Row, Table};
use super::{begin, building_of, issue, Counter, ImportError};
use crate::models::capacity::DigitCapacity;
use crate::models::import::{ImportKind, ImportReport};
use crate::models::polling::PROTOCOLS;
use crate::models::{MeterState, Placement, Resource};
use crate::storage::{channel, communicator, meter, object, premise, Db};

pub const FIELDS: [Field; 17] = [
    columns::BUILDING_ADDRESS,
    columns::PREMISE,
    columns::RESOURCE.required(true),
    columns::MODEL.required(true),
    columns::SERIAL.required(true),
    Field { title: "Штрихкод", other_names: &["Штрих-код"], required: false },
    Field { title: "Разрядность", other_names: &["Значность", "Разрядность счётного механизма"], required: false },
    Field { title: "Тарифов", other_names: &["Тарифность", "Кол-во тарифов", "Количество тарифов"], required: false },
    Field { title: "Коэффициент", other_names: &["Коэффициент трансформации", "Множитель", "Ктт"], required: false },
    Field { title: "Фаз", other_names: &["Фаза", "Фазность"], required: false },
    Field { title: "Дата установки", other_names: &["Установлен", "Дата монтажа"], required: false },
    Field { title: "Дата поверки", other_names: &["Дата последней поверки", "Поверен"], required: false },
    Field { title: "Межповерочный интервал, лет", other_names: &["Межповерочный интервал", "МПИ", "МПИ лет"], required: false },
    Field { title: "Дата следующей поверки", other_names: &["Следующая поверка", "Дата очередной поверки", "Поверка до"], required: false },
    Field { title: "Коммуникатор", other_names: &["Линия связи", "Линия", "УСПД"], required: false },
    Field { title: "Протокол", other_names: &[], required: false },
    Field { title: "Адрес на шине", other_names: &["Сетевой адрес", "Адрес прибора", "Адрес на линии"], required: false },
];

const BUILDING: usize = 0;
const PREMISE: usize = 1;
const RESOURCE: usize = 2;
const MODEL: usize = 3;
const SERIAL: usize = 4;
const BARCODE: usize = 5;
const CAPACITY: usize = 6;
const TARIFFS: usize = 7;
const MULTIPLIER: usize = 8;
const PHASE: usize = 9;
const INSTALLED: usize = 10;
const VERIFIED: usize = 11;
const INTERVAL: usize = 12;
const NEXT: usize = 13;
const LINE: usize = 14;
const PROTOCOL: usize = 15;
const ADDRESS: usize = 16;

/// A resource as billing systems and people name it.
pub fn resource(v: &str) -> Option<Resource> {
    let key: String = v.to_lowercase().replace('ё', "е").chars().filter(|c| c.is_alphanumeric()).collect();
    Some(match key.as_str() {
        "электроэнергия" | "электричество" | "ээ" | "элэнергия" | "электрическаяэнергия" | "electricity" => {
            Resource::Electricity
        }
        "тепло" | "тепловаяэнергия" | "теплоэнергия" | "отопление" | "тэ" | "heat" => Resource::Heat,
        "хвс" | "холоднаявода" | "холодноеводоснабжение" | "coldwater" => Resource::ColdWater,
        "гвс" | "горячаявода" | "горячееводоснабжение" | "hotwater" => Resource::HotWater,
        "газ" | "газоснабжение" | "gas" => Resource::Gas,
        "водоотведение" | "стоки" | "канализация" | "wastewater" => Resource::Wastewater,
        _ => return None,
    })
}

/// The register a meter of `resource` has when the file does not say: electricity 6,2 (a
/// Меркурий's display), heat 4,3, water and gas 5,3.
fn usual_capacity(resource: Resource) -> DigitCapacity {
    let (i, f) = match resource {
        Resource::Electricity => (6, 2),
        Resource::Heat => (4, 3),
        _ => (5, 3),
    };
    DigitCapacity::new(i, f).expect("a real register")
}

/// «5,3», «5.3» or «5+3» (integer and fraction digits), «6» (no fraction), or the display
/// itself: «00000,000».
fn capacity(v: &str) -> Result<Option<DigitCapacity>, String> {
    let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    if v.is_empty() {
        return Ok(None);
    }
    let (a, b) = match v.split_once([',', '.', '+']) {
        Some((a, b)) => (a, b),
        None => (v.as_str(), ""),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let mask = |s: &str| s.chars().all(|c| c == '0' || c == '9');
    let counts = if a.len() >= 3 && mask(a) && mask(b) {
        Some((a.len(), b.len()))
    } else if digits(a) && (b.is_empty() || digits(b)) && a.len() <= 2 && b.len() <= 2 {
        Some((a.parse().unwrap_or(0), b.parse().unwrap_or(0)))
    } else {
        None
    };
    let wrong = || "разрядность: «5,3» — знаков до и после запятой".to_string();
    let (i, f) = counts.ok_or_else(wrong)?;
    DigitCapacity::new(i.min(255) as u8, f.min(255) as u8)
        .map(Some)
        .map_err(|_| "разрядность: до запятой от 1 до 9 знаков, после — от 0 до 6".into())
}

fn phase(v: &str) -> Result<String, String> {
    let key = v.trim().to_lowercase().replace('ё', "е");
    Ok(match key.as_str() {
        "" => String::new(),
        "1" | "однофазный" | "1ф" => "1".into(),
        "3" | "трехфазный" | "3ф" => "3".into(),
        // a single-phase meter on a known line of the input (the phase balance sums by it)
        "l1" | "a" | "фаза a" | "фаза а" | "а" => "L1".into(),
        "l2" | "b" | "фаза b" | "фаза в" | "в" => "L2".into(),
        "l3" | "c" | "фаза c" | "фаза с" | "с" => "L3".into(),
        _ => return Err("фаз: 1 или 3; однофазный на известной фазе — L1, L2 или L3 (A, B, C)".into()),
    })
}

fn protocol(v: &str) -> Result<String, String> {
    let key: String = v.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    Ok(match key.as_str() {
        "" => String::new(),
        k if k.starts_with("меркурий") || k == "mercury" => "mercury".into(),
        "mbus" => "mbus".into(),
        k if k.starts_with("modbus") => "modbus".into(),
        _ => {
            let known: Vec<&str> = PROTOCOLS.iter().map(|(_, name)| *name).collect();
            return Err(format!("протокол: {}", known.join(", ")));
        }
    })
}

/// The lines a meter can hang on, by name: the company's buses and modems (LoRaWAN devices
/// are found by their own uplinks, not put in a file).
struct Lines {
    by_name: HashMap<String, communicator::Communicator>,
}

impl Lines {
    fn find(&self, name: &str, object_id: i64) -> Result<&communicator::Communicator, String> {
        let c = self
            .by_name
            .get(&name.trim().to_lowercase())
            .ok_or_else(|| "коммуникатор с таким названием не найден".to_string())?;
        if c.line == "lorawan" {
            return Err("на устройство LoRaWAN прибор так не вешают".into());
        }
        if c.object_id.is_some_and(|id| id != object_id) {
            return Err("коммуникатор другого дома".into());
        }
        Ok(c)
    }
}

/// One row read into what a meter is, and how it is read.
struct Parsed {
    meter: meter::Meter,
    protocol: String,
}

type Problem = (usize, String);

fn parse(
    row: &Row,
    at: &[Option<usize>],
    company_id: i64,
    places: &Places,
    lines: &Lines,
    today: NaiveDate,
) -> Result<Parsed, Problem> {
    let cell = |i: usize| row.cell(at[i]);
    let object_id = building_of(cell(BUILDING), at[BUILDING].is_some(), &places.buildings, places.chosen)
        .map_err(|e| (BUILDING, e))?;
    let premise_id = match cell(PREMISE) {
        "" => None,
        n => Some(*places.premises.get(&(object_id, n.to_string())).ok_or((
            PREMISE,
            "помещение не найдено в доме: сначала импортируйте помещения".to_string(),
        ))?),
    };
    let resource = resource(cell(RESOURCE)).ok_or((
        RESOURCE,
        "ресурс: электроэнергия, тепло, ХВС, ГВС, газ или водоотведение".to_string(),
    ))?;
    let model = cell(MODEL).split_whitespace().collect::<Vec<_>>().join(" ");
    if model.is_empty() || model.chars().count() > 60 {
        return Err((MODEL, "модель: от 1 до 60 знаков".into()));
    }
    let serial = cell(SERIAL).to_string();
    if serial.is_empty() || serial.chars().count() > 40 || serial.chars().any(char::is_whitespace) {
        return Err((SERIAL, "заводской номер: от 1 до 40 знаков без пробелов".into()));
    }
    let barcode = cell(BARCODE).to_string();
    if barcode.chars().count() > 64 {
        return Err((BARCODE, "штрихкод длиннее 64 знаков".into()));
    }
    let capacity = capacity(cell(CAPACITY)).map_err(|e| (CAPACITY, e))?.unwrap_or(usual_capacity(resource));
    let tariffs = whole(cell(TARIFFS), 1, 4).map_err(|e| (TARIFFS, e))?.unwrap_or(1);
    if tariffs > 1 && resource != Resource::Electricity {
        return Err((TARIFFS, "несколько тарифов бывает только у счётчиков электроэнергии".into()));
    }
    let multiplier = match cell(MULTIPLIER) {
        "" => Decimal::ONE,
        v => crate::models::building::typed_decimal(v)
            .filter(|d| *d > Decimal::ZERO && *d <= Decimal::from(100_000) && d.scale() <= 6)
            .ok_or((MULTIPLIER, "коэффициент: число больше нуля, до 100 000".to_string()))?
            .normalize(),
    };
    let phase = phase(cell(PHASE)).map_err(|e| (PHASE, e))?;
    if !phase.is_empty() && resource != Resource::Electricity {
        return Err((PHASE, "фазы бывают только у счётчиков электроэнергии".into()));
    }
    let installed_on = day(cell(INSTALLED), today).map_err(|e| (INSTALLED, e))?;
    let verified_on = day(cell(VERIFIED), today).map_err(|e| (VERIFIED, e))?;
    let interval = whole(cell(INTERVAL), 1, 20).map_err(|e| (INTERVAL, e))?;
    let next_verification_on = match (any_day(cell(NEXT)).map_err(|e| (NEXT, e))?, interval, verified_on) {
        (Some(next), _, _) => Some(next),
        (None, Some(years), Some(verified)) => verified.checked_add_months(Months::new(years as u32 * 12)),
        (None, Some(_), None) => return Err((VERIFIED, "межповерочный интервал без даты поверки".into())),
        (None, None, _) => None,
    };
    if let (Some(next), Some(verified)) = (next_verification_on, verified_on) {
        if next <= verified {
            return Err((NEXT, "следующая поверка не позже последней".into()));
        }
    }
    let protocol = protocol(cell(PROTOCOL)).map_err(|e| (PROTOCOL, e))?;
    let line = cell(LINE);
    let address = cell(ADDRESS).to_string();
    let communicator_id = if line.is_empty() {
        if !protocol.is_empty() {
            return Err((LINE, "протокол указан, а коммуникатор нет".into()));
        }
        None
    } else {
        let c = lines.find(line, object_id).map_err(|e| (LINE, e))?;
        if protocol.is_empty() {
            return Err((PROTOCOL, "у прибора на линии должен быть протокол".into()));
        }
        let top = if protocol == "modbus" { 247 } else { 250 };
        if !address.parse::<u8>().is_ok_and(|a| (1..=top).contains(&a)) {
            return Err((ADDRESS, format!("адрес на шине: от 1 до {top}")));
        }
        Some(c.id)
    };
    if address.chars().count() > 20 {
        return Err((ADDRESS, "адрес длиннее 20 знаков".into()));
    }
    let mut m = meter::Meter::new(company_id, object_id, resource, &model, &serial, capacity);
    m.premise_id = premise_id;
    m.placement = if premise_id.is_some() { Placement::Individual } else { Placement::Common };
    m.barcode = barcode;
    m.tariffs = tariffs;
    m.multiplier = multiplier;
    m.phase = phase;
    m.installed_on = installed_on;
    m.verified_on = verified_on;
    m.next_verification_on = next_verification_on;
    m.communicator_id = communicator_id;
    m.bus_address = address;
    Ok(Parsed { meter: m, protocol })
}

/// Where meters may go: the company's buildings by address, their premises by number.
struct Places {
    buildings: HashMap<String, i64>,
    chosen: Option<i64>,
    premises: HashMap<(i64, String), i64>,
}

/// What the file says of a meter that is also stored, compared field by field.
fn same(stored: &meter::Meter, stored_protocol: &str, p: &Parsed) -> bool {
    let m = &p.meter;
    (stored.object_id, stored.premise_id, stored.resource, &stored.barcode, stored.tariffs, stored.capacity)
        == (m.object_id, m.premise_id, m.resource, &m.barcode, m.tariffs, m.capacity)
        && (stored.multiplier.normalize(), &stored.phase, stored.installed_on, stored.verified_on)
            == (m.multiplier, &m.phase, m.installed_on, m.verified_on)
        && stored.next_verification_on == m.next_verification_on
        && (stored.communicator_id, &stored.bus_address, stored_protocol)
            == (m.communicator_id, &m.bus_address, p.protocol.as_str())
}

pub async fn run(
    db: &Db,
    company_id: i64,
    table: &Table,
    chosen: Option<i64>,
    write: bool,
    today: NaiveDate,
) -> Result<ImportReport, ImportError> {
    let (mut report, at) = match begin(ImportKind::Meters, table, &FIELDS) {
        Ok(started) => started,
        Err(report) => return Ok(report),
    };
    if let Some(id) = chosen {
        object::get(db, company_id, id).await?;
    }
    let places = Places {
        buildings: super::buildings_by_address(db, company_id).await?,
        chosen,
        premises: premise::list_for_company(db, company_id)
            .await?
            .into_iter()
            .map(|p| ((p.object_id, p.number), p.id))
            .collect(),
    };
    let lines = Lines {
        by_name: communicator::list(db, company_id)
            .await?
            .into_iter()
            .map(|c| (c.name.trim().to_lowercase(), c))
            .collect(),
    };
    let stored: HashMap<(String, String), (meter::Meter, String)> = meter::list_for_company(db, company_id)
        .await?
        .into_iter()
        .map(|(m, protocol, _)| ((m.model.to_lowercase(), m.serial.clone()), (m, protocol)))
        .collect();
    // who holds each bus address now: a meter moved in the file frees its old one
    let mut on_bus: HashMap<(i64, String), (String, String)> = stored
        .values()
        .filter(|(m, protocol)| m.communicator_id.is_some() && !protocol.is_empty())
        .map(|(m, _)| ((m.communicator_id.unwrap_or(0), m.bus_address.clone()), (m.model.to_lowercase(), m.serial.clone())))
        .collect();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut barcodes: HashMap<String, usize> = HashMap::new();
    let mut plan: Vec<(Parsed, Option<i64>)> = Vec::new();
    let mut counter = Counter::default();
    for row in &table.rows {
        let p = match parse(row, &at, company_id, &places, &lines, today) {
            Ok(p) => p,
            Err((column, reason)) => {
                report.issues.push(issue(row.line, FIELDS[column].title, row.cell(at[column]), &reason));
                continue;
            }
        };
        let key = (p.meter.model.to_lowercase(), p.meter.serial.clone());
        if let Some(first) = seen.insert(key.clone(), row.line) {
            report.issues.push(issue(
                row.line,
                FIELDS[SERIAL].title,
                &p.meter.serial,
                &format!("прибор с этим заводским номером уже есть в строке {first}"),
            ));
            continue;
        }
        if !p.meter.barcode.is_empty() {
            if let Some(first) = barcodes.insert(p.meter.barcode.clone(), row.line) {
                report.issues.push(issue(
                    row.line,
                    FIELDS[BARCODE].title,
                    &p.meter.barcode,
                    &format!("штрихкод уже у прибора в строке {first}"),
                ));
                continue;
            }
        }
        let found = stored.get(&key);
        if let Some(c) = p.meter.communicator_id {
            let slot = (c, p.meter.bus_address.clone());
            match on_bus.get(&slot) {
                Some(holder) if *holder != key => {
                    report.issues.push(issue(
                        row.line,
                        FIELDS[ADDRESS].title,
                        &p.meter.bus_address,
                        &format!("адрес на этой линии уже занят прибором № {}", holder.1),
                    ));
                    continue;
                }
                _ => {
                    on_bus.insert(slot, key.clone());
                }
            }
        }
        match found {
            None => counter.added += 1,
            Some((m, protocol)) if same(m, protocol, &p) => {
                counter.unchanged += 1;
                continue;
            }
            Some((m, _)) if m.state == MeterState::Retired => {
                report.issues.push(issue(
                    row.line,
                    FIELDS[SERIAL].title,
                    &p.meter.serial,
                    "прибор выведен из эксплуатации: его карточку файл не меняет",
                ));
                continue;
            }
            Some(_) => counter.updated += 1,
        }
        plan.push((p, found.map(|(m, _)| m.id)));
    }
    report.counts.push(counter.named("meter"));
    if write && report.issues.is_empty() {
        let mut tx = db.pool().begin().await?;
        for (p, existing) in &plan {
            let id = match existing {
                Some(id) => {
                    meter::update_in(&mut *tx, &meter::Meter { id: *id, ..p.meter.clone() }).await?;
                    *id
                }
                None => {
                    let m = meter::create_in(&mut *tx, &p.meter).await?;
                    channel::create_main_in(&mut *tx, &m).await?;
                    m.id
                }
            };
            // the password stays as the meter's card has it; a new meter off any line has
            // nothing to set
            let on_line = p.meter.communicator_id.is_some() || !p.meter.bus_address.is_empty();
            if existing.is_some() || on_line {
                meter::set_line_in(&mut *tx, company_id, id, p.meter.communicator_id, &p.protocol, &p.meter.bus_address)
                    .await?;
            }
        }
        tx.commit().await?;
        report.written = true;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_register_is_read_as_people_write_it() {
        let c = |v: &str| capacity(v).map(|c| c.map(|c| c.label()));
        assert_eq!(c("5,3"), Ok(Some("5,3".into())));
        assert_eq!(c("6+2"), Ok(Some("6,2".into())));
        assert_eq!(c("6"), Ok(Some("6,0".into())));
        assert_eq!(c("00000,000"), Ok(Some("5,3".into())));
        assert_eq!(c(""), Ok(None));
        assert!(c("12,3").is_err());
        assert!(c("5,7").is_err());
        assert!(c("пять").is_err());
    }

    #[test]
    fn resources_are_known_by_their_russian_names() {
        assert_eq!(resource("ХВС"), Some(Resource::ColdWater));
        assert_eq!(resource("Горячая вода"), Some(Resource::HotWater));
        assert_eq!(resource("Эл. энергия"), Some(Resource::Electricity));
        assert_eq!(resource("Тепловая энергия"), Some(Resource::Heat));
        assert_eq!(resource("вода"), None);
    }

    #[test]
    fn protocols_are_known_by_their_names_on_screen() {
        assert_eq!(protocol("Меркурий 230/236").unwrap(), "mercury");
        assert_eq!(protocol("M-Bus").unwrap(), "mbus");
        assert_eq!(protocol("Modbus RTU/TCP").unwrap(), "modbus");
        assert!(protocol("DLMS").is_err());
    }
}
