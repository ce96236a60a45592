//! The add-meter wizard and the meter's edit form: what it opens with (a stored meter as the
//! form it would have been typed in), the chosen building's premises and lines, and a save
//! that goes through the meter import's own rules and transaction as a one-row file.

use crate::auth::caller::Caller;
use crate::errors::AppError;
use crate::import::meters as meter_file;
use crate::import::table::{Row, Table};
use crate::import::ImportError;
use crate::models::import::ImportIssue;
use crate::models::meter_form::{FormPlaces, MeterForm, MeterFormData, MeterSaved};
use crate::models::text::natural_key;
use crate::models::{MeterState, Placement};
use crate::storage::{audit, communicator, meter, object, premise, Db};

pub async fn open(db: &Db, caller: &Caller, id: Option<i64>, object_id: Option<i64>) -> Result<MeterFormData, AppError> {
    let objects: Vec<(i64, String)> = object::names(db, caller.company_id).await?;
    let Some(id) = id else {
        let first = object_id.filter(|o| objects.iter().any(|(id, _)| id == o)).or(objects.first().map(|(id, _)| *id));
        let form = MeterForm { object_id: first.unwrap_or(0), resource: "cold_water".into(), tariffs: "1".into(), multiplier: "1".into(), ..Default::default() };
        let places = match first {
            Some(o) => places(db, caller, o).await?,
            None => FormPlaces::default(),
        };
        return Ok(MeterFormData { meter_id: None, objects, form, places, title: String::new() });
    };
    let m = meter::get(db, caller.company_id, id).await?;
    let form = form_of(db, caller.company_id, &m).await?;
    let places = places(db, caller, m.object_id).await?;
    Ok(MeterFormData { meter_id: Some(id), objects, form, places, title: format!("{} № {}", m.model, m.serial) })
}

/// A stored meter as the form that would have made it (its password left out).
async fn form_of(db: &Db, company_id: i64, m: &meter::Meter) -> Result<MeterForm, AppError> {
    let premise = match m.premise_id {
        Some(p) if m.placement == Placement::Individual => premise::get(db, company_id, p).await?.number,
        _ => String::new(),
    };
    let line = match m.communicator_id {
        Some(c) => communicator::get(db, company_id, c).await?.name,
        None => String::new(),
    };
    let (protocol, _) = meter::protocol_of(db, company_id, m.id).await?;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    Ok(MeterForm {
        object_id: m.object_id,
        premise,
        resource: m.resource.as_str().into(),
        model: m.model.clone(),
        serial: m.serial.clone(),
        barcode: m.barcode.clone(),
        capacity: m.capacity.label(),
        tariffs: m.tariffs.to_string(),
        multiplier: crate::models::format::decimal(m.multiplier.normalize()),
        phase: m.phase.clone(),
        installed_on: date(m.installed_on),
        verified_on: date(m.verified_on),
        interval: String::new(),
        next_verification_on: date(m.next_verification_on),
        line,
        protocol,
        bus_address: m.bus_address.clone(),
        bus_password: String::new(),
    })
}

pub async fn places(db: &Db, caller: &Caller, object_id: i64) -> Result<FormPlaces, AppError> {
    object::get(db, caller.company_id, object_id).await?;
    let mut premises: Vec<String> = premise::list(db, caller.company_id, object_id).await?.into_iter().map(|p| p.number).collect();
    premises.sort_by_key(|n| natural_key(n));
    let lines = communicator::list(db, caller.company_id)
        .await?
        .into_iter()
        .filter(|c| c.line != "lorawan" && c.object_id.is_none_or(|o| o == object_id))
        .map(|c| (c.name, c.line))
        .collect();
    Ok(FormPlaces { premises, lines })
}

fn issue(column: &str, value: &str, reason: &str) -> MeterSaved {
    MeterSaved {
        meter_id: None,
        issues: vec![ImportIssue { row: 1, column: column.into(), value: value.into(), reason: reason.into() }],
    }
}

/// Checks the form as the meter file's one row and, when it is clean, writes it: a new
/// meter (`id` None) or the meter `id`, whose model and serial stay (a new serial is a
/// replacement, not an edit). Each write is in the action log with what it changed.
pub async fn save(db: &Db, caller: &Caller, id: Option<i64>, form: MeterForm) -> Result<MeterSaved, AppError> {
    let o = object::get(db, caller.company_id, form.object_id).await?;
    let before = match id {
        Some(id) => {
            let m = meter::get(db, caller.company_id, id).await?;
            if m.state == MeterState::Retired {
                return Ok(issue("Заводской номер", &m.serial, "прибор выведен из эксплуатации: его карточка не меняется"));
            }
            if (m.model.as_str(), m.serial.as_str()) != (form.model.trim(), form.serial.trim()) {
                return Ok(issue("Заводской номер", &form.serial, "модель и заводской номер меняются заменой прибора, не правкой"));
            }
            Some(form_of(db, caller.company_id, &m).await?)
        }
        None => None,
    };
    if form.bus_password.chars().count() > 32 {
        return Ok(issue("Пароль", "", "пароль прибора длиннее 32 знаков"));
    }
    let (headers, cells) = form.as_row();
    let table = Table { headers, rows: vec![Row { line: 1, cells }] };
    let today = super::verification::today();
    let run = |write| meter_file::run(db, caller.company_id, &table, Some(form.object_id), write, today);
    let plan = run(false).await.map_err(import_failure)?;
    if !plan.issues.is_empty() {
        return Ok(MeterSaved { meter_id: None, issues: plan.issues });
    }
    let counts = plan.counts.first().cloned().unwrap_or_default();
    if id.is_none() && counts.added == 0 {
        return Ok(issue("Заводской номер", &form.serial, "прибор этой модели с этим заводским номером уже есть: откройте его карточку"));
    }
    if counts.added + counts.updated > 0 {
        run(true).await.map_err(import_failure)?;
    }
    let model = form.model.split_whitespace().collect::<Vec<_>>().join(" ");
    let meter_id = match id {
        Some(id) => id,
        None => meter::id_by_serial(db, caller.company_id, &model, form.serial.trim()).await?.ok_or(AppError::NotFound)?,
    };
    if !form.bus_password.is_empty() {
        let (protocol, _) = meter::protocol_of(db, caller.company_id, meter_id).await?;
        meter::set_protocol(db, caller.company_id, meter_id, &protocol, &form.bus_password).await?;
    }
    let place = match form.premise.trim() {
        "" => "ОДПУ".to_string(),
        p => format!("кв. {p}"),
    };
    let (action, details) = match &before {
        None => ("meter.create", format!("{model} № {} — {}, {place} #{meter_id}", form.serial.trim(), o.name)),
        Some(was) => ("meter.edit", format!("{model} № {} #{meter_id}: {}", form.serial.trim(), form.changes(was))),
    };
    audit::create(db, Some(caller.company_id), Some(caller.user_id), action, &details, &caller.ip).await?;
    Ok(MeterSaved { meter_id: Some(meter_id), issues: Vec::new() })
}

fn import_failure(e: ImportError) -> AppError {
    match e {
        ImportError::Storage(e) => e.into(),
        // a one-row table made here always reads
        ImportError::Table(_) => AppError::Invalid { field: crate::i18n::Msg::MenuMeters, problem: crate::errors::Problem::BadFormat },
    }
}

/// Retires the company's meter `id`, once, with a line in the action log.
pub async fn retire(db: &Db, caller: &Caller, id: i64) -> Result<(), AppError> {
    let m = meter::get(db, caller.company_id, id).await?;
    if m.state == MeterState::Retired {
        return Ok(());
    }
    meter::set_state(db, caller.company_id, id, MeterState::Retired).await?;
    let details = format!("{} № {} #{id}", m.model, m.serial);
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "meter.retire", &details, &caller.ip).await?;
    Ok(())
}
