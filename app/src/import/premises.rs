//! Premises with their personal accounts and owners, as billing systems export them: one row
//! per account or per owner, the premise's figures repeated. A premise is known by its
//! building and number, an account by its number (unique in the company, leading zeros
//! kept), an owner by their name within the premise.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::buildings::address_key;
use super::cells::{day, whole};
use super::columns::{self, Field};
use super::table::{Row, Table};
use super::{begin, issue, Counter, ImportError};
use crate::models::import::{ImportKind, ImportReport};
use crate::storage::{account, object, owner, premise, Db};

pub const FIELDS: [Field; 13] = [
    columns::BUILDING_ADDRESS,
    columns::PREMISE.required(true),
    Field { title: "Тип помещения", other_names: &["Тип", "Вид помещения"], required: false },
    Field { title: "Площадь", other_names: &["Общая площадь", "Площадь м2"], required: false },
    Field { title: "Проживает", other_names: &["Кол-во проживающих", "Проживающих", "Жильцов"], required: false },
    Field { title: "Подъезд", other_names: &[], required: false },
    Field { title: "Этаж", other_names: &[], required: false },
    columns::ACCOUNT,
    Field { title: "Собственник", other_names: &["ФИО собственника", "Владелец", "ФИО"], required: false },
    Field { title: "Телефон", other_names: &["Тел"], required: false },
    Field { title: "Эл. почта", other_names: &["Email", "E-mail", "Почта", "Электронная почта"], required: false },
    Field { title: "Доля", other_names: &["Доля в праве", "Доля собственности"], required: false },
    Field { title: "Согласие на обработку ПДн", other_names: &["Согласие ПДн", "Согласие", "Дата согласия"], required: false },
];

const BUILDING: usize = 0;
const NUMBER: usize = 1;
const KIND: usize = 2;
const AREA: usize = 3;
const RESIDENTS: usize = 4;
const ENTRANCE: usize = 5;
const FLOOR: usize = 6;
const ACCOUNT: usize = 7;
const OWNER: usize = 8;
const PHONE: usize = 9;
const EMAIL: usize = 10;
const SHARE: usize = 11;
const CONSENT: usize = 12;

/// A premise as the file describes it.
#[derive(Clone, Debug, PartialEq)]
struct Described {
    kind: String,
    area: Decimal,
    residents: i64,
    entrance: Option<i64>,
    floor: Option<i64>,
}

/// One row read into its parts, or the first thing wrong with it.
struct Parsed {
    object_id: i64,
    number: String,
    premise: Described,
    account: Option<String>,
    owner: Option<owner::Owner>,
}

type Problem = (usize, String);

fn kind(v: &str) -> Result<String, String> {
    let v = v.trim().to_lowercase();
    match v.as_str() {
        "" | "жилое" | "жилое помещение" | "кв" | "кв." | "квартира" | "flat" => Ok("flat".into()),
        "нежилое" | "нежилое помещение" | "офис" | "магазин" | "аптека" | "non_residential" => {
            Ok("non_residential".into())
        }
        _ => Err("тип помещения: «жилое» или «нежилое»".into()),
    }
}

use crate::models::building::typed_decimal as decimal;

/// dd.mm.yyyy or yyyy-mm-dd, not after today, as stored.
fn consent_day(v: &str, today: chrono::NaiveDate) -> Result<String, String> {
    Ok(day(v, today)?.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default())
}


fn share(v: &str) -> Result<String, String> {
    let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    if v.is_empty() {
        return Ok(v);
    }
    let ok = match v.split_once('/') {
        Some((a, b)) => matches!((a.parse::<u32>(), b.parse::<u32>()), (Ok(a), Ok(b)) if a > 0 && b > 0 && a <= b),
        None => decimal(&v).is_some_and(|d| d > Decimal::ZERO && d <= Decimal::ONE),
    };
    if ok {
        Ok(v)
    } else {
        Err("доля: «1», «1/2» или «0,5»".into())
    }
}

fn parse(
    row: &Row,
    at: &[Option<usize>],
    buildings: &HashMap<String, i64>,
    chosen: Option<i64>,
    today: chrono::NaiveDate,
) -> Result<Parsed, Problem> {
    let cell = |i: usize| row.cell(at[i]);
    let object_id = super::building_of(cell(BUILDING), at[BUILDING].is_some(), buildings, chosen)
        .map_err(|e| (BUILDING, e))?;
    let number = cell(NUMBER).to_string();
    if number.is_empty() {
        return Err((NUMBER, "номер помещения не указан".into()));
    }
    if number.chars().count() > 20 {
        return Err((NUMBER, "номер длиннее 20 знаков".into()));
    }
    let kind = kind(cell(KIND)).map_err(|e| (KIND, e))?;
    let area = decimal(cell(AREA)).ok_or((AREA, "не число".to_string()))?;
    if area < Decimal::ZERO || area > Decimal::from(100_000) || area.scale() > 2 {
        return Err((AREA, "площадь: от 0 до 100 000 м², не больше двух знаков после запятой".into()));
    }
    let residents = whole(cell(RESIDENTS), 0, 100).map_err(|e| (RESIDENTS, e))?.unwrap_or(0);
    let entrance = whole(cell(ENTRANCE), 1, 100).map_err(|e| (ENTRANCE, e))?;
    let floor = whole(cell(FLOOR), -5, 200).map_err(|e| (FLOOR, e))?;
    let account = match cell(ACCOUNT) {
        "" => None,
        a if a.chars().count() > 30 => return Err((ACCOUNT, "лицевой счёт длиннее 30 знаков".into())),
        a if !a.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '/') => {
            return Err((ACCOUNT, "лицевой счёт: только цифры, буквы, «-» и «/»".into()))
        }
        a => Some(a.to_string()),
    };
    let name = cell(OWNER).split_whitespace().collect::<Vec<_>>().join(" ");
    let owner = if name.is_empty() {
        for i in [PHONE, EMAIL, SHARE, CONSENT] {
            if !cell(i).is_empty() {
                return Err((OWNER, "данные собственника без его ФИО".into()));
            }
        }
        None
    } else {
        if name.chars().count() > 200 {
            return Err((OWNER, "ФИО длиннее 200 знаков".into()));
        }
        let email = cell(EMAIL).to_lowercase();
        if !email.is_empty() && !crate::models::cabinet::email_ok(&email) {
            return Err((EMAIL, "неверный адрес почты".into()));
        }
        if cell(PHONE).chars().count() > 40 {
            return Err((PHONE, "телефон длиннее 40 знаков".into()));
        }
        Some(owner::Owner {
            full_name: name,
            phone: cell(PHONE).to_string(),
            email,
            share: share(cell(SHARE)).map_err(|e| (SHARE, e))?,
            consent_on: consent_day(cell(CONSENT), today).map_err(|e| (CONSENT, e))?,
            ..Default::default()
        })
    };
    Ok(Parsed {
        object_id,
        number,
        premise: Described {
            kind,
            area: area.normalize(),
            residents,
            entrance,
            floor,
        },
        account,
        owner,
    })
}

/// What to write for one premise of the file.
struct Planned {
    premise: premise::Premise,
    /// New, changed or as it is.
    change: Change,
    accounts: Vec<(String, String)>,
    owners: Vec<owner::Owner>,
}

#[derive(PartialEq)]
enum Change {
    Add,
    Update,
    Keep,
}

pub async fn run(
    db: &Db,
    company_id: i64,
    table: &Table,
    chosen: Option<i64>,
    write: bool,
    today: chrono::NaiveDate,
) -> Result<ImportReport, ImportError> {
    let (mut report, at) = match begin(ImportKind::Premises, table, &FIELDS) {
        Ok(started) => started,
        Err(report) => return Ok(report),
    };
    if let Some(id) = chosen {
        // another company's building is not found, never written to
        object::get(db, company_id, id).await?;
    }
    let objects = object::list_with_archived(db, company_id).await?;
    let buildings: HashMap<String, i64> = objects.iter().map(|o| (address_key(&o.address), o.id)).collect();
    let names: HashMap<i64, String> = objects.iter().map(|o| (o.id, o.address.clone())).collect();
    let premises: HashMap<(i64, String), premise::Premise> = premise::list_for_company(db, company_id)
        .await?
        .into_iter()
        .map(|p| ((p.object_id, p.number.clone()), p))
        .collect();
    let accounts: HashMap<String, account::Account> = account::list_for_company(db, company_id)
        .await?
        .into_iter()
        .map(|a| (a.number.clone(), a))
        .collect();
    let owners: HashMap<(i64, String), owner::Owner> = owner::list_for_company(db, company_id)
        .await?
        .into_iter()
        .map(|o| ((o.premise_id, o.full_name.clone()), o))
        .collect();
    let mut plan: Vec<Planned> = Vec::new();
    let mut index: HashMap<(i64, String), (usize, usize)> = HashMap::new();
    let mut account_rows: HashMap<String, (usize, (i64, String))> = HashMap::new();
    let mut counts = [Counter::default(), Counter::default(), Counter::default()];
    for row in &table.rows {
        let p = match parse(row, &at, &buildings, chosen, today) {
            Ok(p) => p,
            Err((column, reason)) => {
                report.issues.push(issue(row.line, FIELDS[column].title, row.cell(at[column]), &reason));
                continue;
            }
        };
        let key = (p.object_id, p.number.clone());
        // the same premise on several rows (several accounts or owners) must agree
        let slot = match index.get(&key) {
            Some(&(first, i)) => {
                if described(&plan[i].premise) != p.premise {
                    report.issues.push(issue(
                        row.line,
                        FIELDS[NUMBER].title,
                        &p.number,
                        &format!("помещение уже описано в строке {first} с другими площадью, подъездом или этажом"),
                    ));
                    continue;
                }
                i
            }
            None => {
                let stored = premises.get(&key);
                let mut premise = stored.cloned().unwrap_or(premise::Premise {
                    company_id,
                    object_id: p.object_id,
                    number: p.number.clone(),
                    ..Default::default()
                });
                premise.kind = p.premise.kind.clone();
                premise.area = p.premise.area.to_string();
                premise.residents = p.premise.residents;
                premise.entrance = p.premise.entrance;
                premise.floor = p.premise.floor;
                let change = match stored {
                    None => Change::Add,
                    Some(s) if described(s) == p.premise => Change::Keep,
                    Some(_) => Change::Update,
                };
                plan.push(Planned {
                    premise,
                    change,
                    accounts: Vec::new(),
                    owners: Vec::new(),
                });
                index.insert(key.clone(), (row.line, plan.len() - 1));
                plan.len() - 1
            }
        };
        if let Some(number) = &p.account {
            match account_rows.get(number) {
                Some((first, k)) if *k != key => {
                    report.issues.push(issue(
                        row.line,
                        FIELDS[ACCOUNT].title,
                        number,
                        &format!("лицевой счёт уже указан в строке {first} у другого помещения"),
                    ));
                    continue;
                }
                Some(_) => {}
                None => {
                    if let Some(a) = accounts.get(number) {
                        let here = premises.get(&key).map(|s| s.id);
                        if Some(a.premise_id) != here {
                            let other = premises.values().find(|s| s.id == a.premise_id);
                            let whose = other
                                .map(|s| format!("кв. {} ({})", s.number, names.get(&s.object_id).cloned().unwrap_or_default()))
                                .unwrap_or_default();
                            report.issues.push(issue(
                                row.line,
                                FIELDS[ACCOUNT].title,
                                number,
                                &format!("лицевой счёт уже принадлежит другому помещению: {whose}"),
                            ));
                            continue;
                        }
                    }
                    account_rows.insert(number.clone(), (row.line, key.clone()));
                    let owner_name = p.owner.as_ref().map(|o| o.full_name.clone()).unwrap_or_default();
                    plan[slot].accounts.push((number.clone(), owner_name));
                }
            }
        }
        if let Some(o) = p.owner {
            if !plan[slot].owners.iter().any(|x| x.full_name == o.full_name) {
                plan[slot].owners.push(o);
            }
        }
    }
    // counts: premises, accounts, owners
    for item in &plan {
        match item.change {
            Change::Add => counts[0].added += 1,
            Change::Update => counts[0].updated += 1,
            Change::Keep => counts[0].unchanged += 1,
        }
        for (number, owner_name) in &item.accounts {
            match accounts.get(number) {
                None => counts[1].added += 1,
                Some(a) if a.owner_name == *owner_name || owner_name.is_empty() => counts[1].unchanged += 1,
                Some(_) => counts[1].updated += 1,
            }
        }
        for o in &item.owners {
            match owners.get(&(item.premise.id, o.full_name.clone())) {
                Some(s) if item.premise.id > 0 && same_owner(s, o) => counts[2].unchanged += 1,
                Some(_) if item.premise.id > 0 => counts[2].updated += 1,
                _ => counts[2].added += 1,
            }
        }
    }
    report.counts = vec![
        counts[0].named("premise"),
        counts[1].named("account"),
        counts[2].named("owner"),
    ];
    if write && report.issues.is_empty() {
        let mut tx = db.pool().begin().await?;
        for item in &plan {
            let premise_id = match item.change {
                Change::Add => premise::create_in(&mut *tx, &item.premise).await?.id,
                Change::Update => {
                    premise::update_in(&mut *tx, &item.premise).await?;
                    item.premise.id
                }
                Change::Keep => item.premise.id,
            };
            for (number, owner_name) in &item.accounts {
                match accounts.get(number) {
                    None => {
                        account::create_in(
                            &mut *tx,
                            &account::Account {
                                id: 0,
                                company_id,
                                premise_id,
                                number: number.clone(),
                                owner_name: owner_name.clone(),
                            },
                        )
                        .await?;
                    }
                    Some(a) if a.owner_name != *owner_name && !owner_name.is_empty() => {
                        account::set_owner_in(&mut *tx, company_id, a.id, owner_name).await?;
                    }
                    Some(_) => {}
                }
            }
            for o in &item.owners {
                let o = owner::Owner {
                    company_id,
                    premise_id,
                    ..o.clone()
                };
                let stored = owners.get(&(premise_id, o.full_name.clone()));
                if stored.is_none_or(|s| !same_owner(s, &o)) {
                    owner::upsert_in(&mut *tx, &o).await?;
                }
            }
        }
        tx.commit().await?;
        report.written = true;
    }
    Ok(report)
}

fn described(p: &premise::Premise) -> Described {
    Described {
        kind: p.kind.clone(),
        area: decimal(&p.area).unwrap_or_default().normalize(),
        residents: p.residents,
        entrance: p.entrance,
        floor: p.floor,
    }
}

fn same_owner(a: &owner::Owner, b: &owner::Owner) -> bool {
    (&a.phone, &a.email, &a.share, &a.consent_on) == (&b.phone, &b.email, &b.share, &b.consent_on)
}
