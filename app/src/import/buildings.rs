//! Buildings from a file: each row checked as the building card checks it, matched to a
//! building the company has by its ФИАС code, else by its address, so a file imported twice
//! changes nothing and a changed row changes its building.

use std::collections::HashMap;

use super::columns::Field;
use super::table::Table;
use super::{begin, issue, problem_text, Counter, ImportError};
use crate::models::building::{BuildingForm, TIME_ZONES};
use crate::models::import::{ImportKind, ImportReport};
use crate::storage::{object, Db};

pub const FIELDS: [Field; 11] = [
    Field { title: "Адрес", other_names: &["Адрес дома", "Адрес объекта"], required: true },
    Field { title: "Наименование", other_names: &["Название", "Объект"], required: false },
    Field { title: "Код ФИАС", other_names: &["ФИАС", "ГУИД ФИАС", "ФИАС ГУИД", "Код ГАР"], required: false },
    Field { title: "Строится", other_names: &["Строящийся"], required: false },
    Field { title: "Общая площадь", other_names: &["Площадь", "Площадь м2"], required: false },
    Field { title: "Проживает", other_names: &["Жителей", "Проживающих"], required: false },
    Field { title: "Этажей", other_names: &["Этажность"], required: false },
    Field { title: "Подъездов", other_names: &["Кол-во подъездов", "Количество подъездов"], required: false },
    Field { title: "Часовой пояс", other_names: &["Пояс"], required: false },
    Field { title: "Широта", other_names: &[], required: false },
    Field { title: "Долгота", other_names: &[], required: false },
];

/// An address reduced for matching: «г. Москва, ул. Зари, д.1» = «Г. МОСКВА, УЛ. ЗАРИ, Д. 1».
pub fn address_key(a: &str) -> String {
    a.to_lowercase()
        .replace('ё', "е")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// «МСК+2», «Екатеринбург» or «Asia/Yekaterinburg»; "" is Moscow.
fn time_zone(v: &str) -> Option<String> {
    let v = v.trim();
    if v.is_empty() {
        return Some("Europe/Moscow".into());
    }
    let key = |s: &str| s.to_uppercase().replace(['−', ' '], "").replace('-', "");
    TIME_ZONES
        .iter()
        .find(|(zone, label)| {
            *zone == v
                || label.split(' ').any(|part| key(part) == key(v))
        })
        .map(|(zone, _)| zone.to_string())
}

fn yes(v: &str) -> bool {
    matches!(v.trim().to_lowercase().as_str(), "да" | "1" | "yes" | "true" | "+")
}

pub async fn run(db: &Db, company_id: i64, table: &Table, write: bool) -> Result<ImportReport, ImportError> {
    let (mut report, at) = match begin(ImportKind::Buildings, table, &FIELDS) {
        Ok(started) => started,
        Err(report) => return Ok(report),
    };
    let existing = object::list_with_archived(db, company_id).await?;
    let by_fias: HashMap<String, &object::Object> = existing
        .iter()
        .filter(|o| !o.fias_code.is_empty())
        .map(|o| (o.fias_code.clone(), o))
        .collect();
    let by_address: HashMap<String, &object::Object> =
        existing.iter().map(|o| (address_key(&o.address), o)).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut planned: Vec<object::Object> = Vec::new();
    let mut counter = Counter::default();
    for row in &table.rows {
        let cell = |i: usize| row.cell(at[i]);
        let Some(zone) = time_zone(cell(8)) else {
            report.issues.push(issue(row.line, FIELDS[8].title, cell(8), "неизвестный часовой пояс: укажите, например, «МСК+2» или «Екатеринбург»"));
            continue;
        };
        let form = BuildingForm {
            address: cell(0).into(),
            name: cell(1).into(),
            fias_code: cell(2).into(),
            under_construction: yes(cell(3)),
            total_area: cell(4).into(),
            residents: cell(5).into(),
            floors: cell(6).into(),
            entrances: cell(7).into(),
            time_zone: zone,
            latitude: cell(9).into(),
            longitude: cell(10).into(),
            ..Default::default()
        };
        let b = match form.check() {
            Ok(b) => b,
            Err((field, p)) => {
                let column = FIELDS
                    .iter()
                    .position(|f| field_of(f.title) == Some(field))
                    .unwrap_or(0);
                report.issues.push(issue(row.line, FIELDS[column].title, cell(column), &problem_text(field, p)));
                continue;
            }
        };
        let key = address_key(&b.address);
        if let Some(first) = seen.insert(key.clone(), row.line) {
            report.issues.push(issue(row.line, FIELDS[0].title, cell(0), &format!("дом повторяется (строка {first})")));
            continue;
        }
        let found = by_fias.get(&b.fias_code).or_else(|| by_address.get(&key)).copied();
        let mut o = found.cloned().unwrap_or(object::Object {
            company_id,
            ..Default::default()
        });
        let before = o.clone();
        o.take_card(&b);
        match found {
            None => counter.added += 1,
            Some(_) if o == before => {
                counter.unchanged += 1;
                continue;
            }
            Some(_) => counter.updated += 1,
        }
        planned.push(o);
    }
    report.counts.push(counter.named("building"));
    if write && report.issues.is_empty() {
        let mut tx = db.pool().begin().await?;
        for o in &planned {
            if o.id == 0 {
                object::create_in(&mut *tx, o).await?;
            } else {
                object::update_in(&mut *tx, o).await?;
            }
        }
        tx.commit().await?;
        report.written = true;
    }
    Ok(report)
}

/// The card field a column fills, to name the column of a card check's complaint.
fn field_of(title: &str) -> Option<crate::i18n::Msg> {
    use crate::i18n::Msg;
    Some(match title {
        "Адрес" => Msg::Address,
        "Наименование" => Msg::Name,
        "Код ФИАС" => Msg::FiasCode,
        "Общая площадь" => Msg::AreaM2,
        "Проживает" => Msg::Residents,
        "Этажей" => Msg::Floors,
        "Подъездов" => Msg::Entrances,
        "Широта" => Msg::Latitude,
        "Долгота" => Msg::Longitude,
        _ => return None,
    })
}

/// The issues of rows, for tests.
#[cfg(test)]
pub fn reasons(issues: &[crate::models::import::ImportIssue]) -> Vec<(usize, String)> {
    issues.iter().map(|i| (i.row, i.reason.clone())).collect()
}
