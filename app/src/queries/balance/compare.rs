//! «Сравнение объектов» (F10, EK 4.1.1): the company's buildings side by side for a day or a
//! month — what their common and flat meters counted, the balance of each building's own
//! group, and the specific consumption — from the buildings' sums of the rollup. A building
//! whose own group a person changed is balanced meter by meter, as its balance page does.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::auth::caller::Caller;
use crate::balance::sums;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::balance::{BalanceQuery, By, CompareQuery, CompareRow, Comparison, Part};
use crate::models::{Amount, Placement, Resource};
use crate::storage::consumption_day::{self, Span};
use crate::storage::{balance_group, meter, norm, object, Db};

/// A building's sum of a placement: whole when every current meter measured all of it.
fn amount_of(total: Option<Decimal>, meters: i64, partial_meters: i64, expected: i64) -> Amount {
    match total {
        None => Amount::NoData,
        Some(v) if meters >= expected && partial_meters == 0 => Amount::Full(v),
        Some(v) => Amount::Partial(v),
    }
}

pub async fn compare(db: &Db, caller: &Caller, q: CompareQuery) -> Result<Comparison, AppError> {
    let objects = object::list(db, caller.company_id).await?;
    let tz = objects.first().map(crate::queries::readings_table::zone).unwrap_or(chrono_tz::Europe::Moscow);
    let today = calendar::local_date(tz, crate::storage::now());
    let (day, answered) = q.settle(today)?;
    let span = match q.by {
        By::Day => Span::Day,
        By::Month => Span::Month,
    };
    let counts = meter::count_by_kind(db, caller.company_id, None).await?;
    let resources: Vec<Resource> = Resource::ALL.into_iter().filter(|r| counts.iter().any(|(_, x, n)| x == r && *n > 0)).collect();
    let resource = q.resource.filter(|r| resources.contains(r)).or(resources.first().copied()).unwrap_or(Resource::Electricity);
    let answered = CompareQuery { object: None, resource: Some(resource), ..answered };

    let sums_of: HashMap<(i64, Placement), consumption_day::ObjectSum> =
        consumption_day::object_sums(db, caller.company_id, resource, span, day)
            .await?
            .into_iter()
            .map(|s| ((s.object_id, s.placement), s))
            .collect();
    let expected: HashMap<(i64, Placement), i64> = meter::count_current(db, caller.company_id, resource)
        .await?
        .into_iter()
        .map(|(o, p, n)| ((o, p), n))
        .collect();
    let norms = norm::list_all(db, norm::Kind::Imbalance, caller.company_id).await?;
    let changed = balance_group::changed_defaults(db, caller.company_id, resource).await?;

    let mut rows = Vec::with_capacity(objects.len());
    for o in &objects {
        let placed = |p: Placement| -> Option<Amount> {
            let n = *expected.get(&(o.id, p))?;
            if n == 0 {
                return None;
            }
            Some(match sums_of.get(&(o.id, p)) {
                Some(s) => amount_of(s.total, s.meters, s.partial_meters, n),
                None => Amount::NoData,
            })
        };
        let (common, individual) = (placed(Placement::Common), placed(Placement::Individual));
        if common.is_none() && individual.is_none() {
            continue;
        }
        let allowed = norm::holding(&norms, o.city_id, o.id, resource);
        let balance = if changed.contains(&o.id) {
            let bq = BalanceQuery {
                object: Some(o.id),
                resource: Some(resource),
                by: q.by,
                month: Some(day.format("%Y-%m").to_string()),
                year: Some(day.year().to_string()),
                group: None,
            };
            let b = super::page::balance(db, caller, bq, None).await?;
            b.rows.into_iter().find(|r| r.day == Some(day)).unwrap_or(b.total)
        } else {
            let parts = [
                (Part::Root, common.unwrap_or(Amount::NoData)),
                (Part::Plus, individual.unwrap_or(Amount::Full(Decimal::ZERO))),
            ];
            sums::row(Some(day), if common.is_some() { &parts } else { &parts[1..] }, allowed)
        };
        let basis = common.or(individual).unwrap_or(Amount::NoData);
        let divisor = match resource {
            Resource::Heat => Decimal::from_str(o.total_area.trim()).ok().filter(|a| !a.is_zero()),
            _ => (o.residents > 0).then(|| Decimal::from(o.residents)),
        };
        let specific = basis.known().zip(divisor).map(|(v, d)| (v / d).round_dp(4).normalize());
        rows.push(CompareRow {
            object_id: o.id,
            name: o.name.clone(),
            common,
            individual,
            imbalance: balance.imbalance,
            share: balance.share,
            verdict: balance.verdict,
            specific,
            specific_partial: !basis.is_full(),
        });
    }
    Ok(Comparison { query: answered, resources, rows })
}
