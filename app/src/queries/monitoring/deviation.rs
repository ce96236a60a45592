//! «Отклонения» (issue 23, point 5; F22): a building's common meters with a tile per
//! watched parameter at an archive's newest record of a day, and the building's rules —
//! every parameter its common meters measure, each off until a dispatcher switches it on.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::deviation::{BuildingRules, DeviationPage, Rule, RuleForm};
use crate::models::{MeterState, Placement};
use crate::queries::readings_table::{pick_object, zone};
use crate::storage::reading::Period;
use crate::storage::{audit, channel, deviation_rule, meter, object, Db};

/// The page by its address: the asked building (`object`, else the first), archive `hour`
/// or `day` (hour by default, as the seed's page opens on the last hour), the `day`
/// `YYYY-MM-DD` (the building's today by default).
pub async fn page(db: &Db, caller: &Caller, query: &str) -> Result<DeviationPage, AppError> {
    let asked = |key: &str| query.split('&').filter_map(|p| p.split_once('=')).find(|(k, _)| *k == key).map(|(_, v)| v.to_string()).unwrap_or_default();
    let object_id = match asked("object").as_str() {
        "" => None,
        id => Some(id.parse::<i64>().map_err(|_| AppError::invalid(Msg::NpObject, Problem::BadFormat))?),
    };
    let (archive, day) = (asked("archive"), asked("day"));
    let objects = super::objects(db, caller.company_id).await?;
    if objects.is_empty() {
        return Ok(DeviationPage { archive: "hour".into(), ..Default::default() });
    }
    let o = pick_object(db, caller, object_id, None).await?;
    let tz = zone(&o);
    let period = match archive.as_str() {
        "" | "hour" => Period::Hour,
        "day" => Period::Day,
        _ => return Err(AppError::invalid(Msg::ArArchive, Problem::BadFormat)),
    };
    let now = crate::storage::now();
    let today = calendar::local_date(tz, now);
    let day = match day.trim() {
        "" => today,
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
            .ok_or(AppError::invalid(Msg::Date, Problem::BadFormat))?,
    };
    // the day's last record: up to its end, or now for today
    let at = day.succ_opt().map(|next| calendar::day_start(tz, next) - 1).unwrap_or(now).min(now);
    let rules = deviation_rule::list(db, caller.company_id, o.id).await?;
    let meters = crate::monitoring::deviation::tiles(db, caller.company_id, o.id, tz, &rules, period, at).await?;
    Ok(DeviationPage {
        objects,
        object_id: Some(o.id),
        archive: if period == Period::Hour { "hour" } else { "day" }.into(),
        day: day.format("%Y-%m-%d").to_string(),
        meters,
        rules_on: rules.iter().filter(|r| r.enabled).count(),
        rules: BuildingRules { object_id: o.id, object: o.name.clone(), parameters: parameters(db, caller.company_id, o.id).await?, rules },
    })
}

/// (parameter, unit, resource) of a building's common meters in service.
async fn parameters(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<(String, String, crate::models::Resource)>, AppError> {
    let common: Vec<meter::Meter> = meter::list_for_object(db, company_id, object_id)
        .await?
        .into_iter()
        .filter(|m| m.placement == Placement::Common && m.state == MeterState::InOperation)
        .collect();
    let mut out: BTreeMap<String, (String, crate::models::Resource)> = BTreeMap::new();
    for c in channel::list_for_object(db, company_id, object_id).await? {
        if let Some(m) = common.iter().find(|m| m.id == c.meter_id) {
            out.entry(c.parameter).or_insert((c.unit, m.resource));
        }
    }
    Ok(out.into_iter().map(|(p, (u, r))| (p, u, r)).collect())
}

/// Keeps a building's rules: every row checked first, nothing kept if one is wrong; only
/// the parameters its common meters measure. Journaled.
pub async fn save(db: &Db, caller: &Caller, object_id: i64, rows: &[RuleForm]) -> Result<usize, AppError> {
    let o = object::get(db, caller.company_id, object_id).await?;
    let known = parameters(db, caller.company_id, o.id).await?;
    let rules: Vec<Rule> = rows.iter().map(RuleForm::check).collect::<Result<_, _>>()?;
    if rules.iter().any(|r| !known.iter().any(|(p, _, _)| *p == r.parameter)) {
        return Err(AppError::invalid(Msg::DvParameter, Problem::BadFormat));
    }
    deviation_rule::save(db, caller.company_id, o.id, &rules, Some(caller.user_id), crate::storage::now()).await?;
    let on: Vec<&str> = rules.iter().filter(|r| r.enabled).map(|r| r.parameter.as_str()).collect();
    let note = format!("{}: {}", o.name, if on.is_empty() { "—".to_string() } else { on.join(", ") });
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "deviation.rules", &note, &caller.ip).await?;
    Ok(on.len())
}
