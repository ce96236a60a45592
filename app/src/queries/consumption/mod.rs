//! «Потребление» (issue 24; F12, F13; EK 4.1.4, 4.1.5): a building's premises for a day or
//! a month from the consumption rollup — the daily and monthly rows the dashboard, the
//! subscribers' list and the balance read, so all of them agree. A replaced meter counts
//! under the meter that replaced it; a meter with no archive for the span makes its
//! premise's figure `–*` or partial, never guessed.

use std::collections::HashMap;

use chrono::Months;

use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::balance::{By, CompareQuery};
use crate::models::consumption::{PremiseRow, Premises};
use crate::models::text::natural_key;
use crate::models::{Amount, MeterState, Placement, Resource};
use crate::queries::readings_table::{pick_object, zone};
use crate::queries::subscribers::heads;
use crate::storage::consumption_day::{self, Span};
use crate::storage::{meter, object, premise, Db};

/// Which resources the page's columns hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    /// Every resource the building meters: «Реестр потребления».
    All,
    /// The asked one, else the first: «Потребление по помещениям».
    One,
}

/// The building the query or the top bar names, its premises and what each premise's
/// meters counted on the day or in the month asked.
pub async fn premises(
    db: &Db,
    caller: &Caller,
    q: CompareQuery,
    chosen: Option<i64>,
    columns: Columns,
) -> Result<Premises, AppError> {
    let o = pick_object(db, caller, q.object, chosen).await?;
    // readings that came in since the rollup last ran count now, as on the dashboard
    crate::rollup::refresh_stale(db, Some(caller.company_id), super::dashboard::REFRESH_BUDGET).await?;
    let today = calendar::local_date(zone(&o), crate::storage::now());
    let (day, answered) = q.settle(today)?;
    let (span, last) = match q.by {
        By::Day => (Span::Day, day),
        By::Month => (Span::Month, day + Months::new(1) - chrono::Duration::days(1)),
    };
    let begun = day <= today;

    let meters = meter::list_for_object(db, caller.company_id, o.id).await?;
    let stored: HashMap<i64, [Amount; crate::consumption::SLOTS]> =
        consumption_day::of_object(db, caller.company_id, o.id, span, day).await?.into_iter().collect();
    // a meter counts when it was there in the span: not installed after it, and not
    // retired unless it measured something in it
    let counted: Vec<&meter::Meter> = heads(&meters)
        .into_iter()
        .filter(|m| m.installed_on.is_none_or(|d| d <= last))
        .filter(|m| m.state != MeterState::Retired || stored.contains_key(&m.id))
        .collect();
    let resources: Vec<Resource> =
        Resource::ALL.into_iter().filter(|r| counted.iter().any(|m| m.resource == *r)).collect();
    let shown: Vec<Resource> = match columns {
        Columns::All => resources.clone(),
        Columns::One => q.resource.filter(|r| resources.contains(r)).or(resources.first().copied()).into_iter().collect(),
    };
    let column = |r: Resource| shown.iter().position(|s| *s == r);

    let mut per_premise: HashMap<i64, Vec<Option<Amount>>> = HashMap::new();
    let mut individual = vec![Amount::Full(rust_decimal::Decimal::ZERO); shown.len()];
    let mut common: Vec<Option<Amount>> = vec![None; shown.len()];
    let mut has_individual = vec![false; shown.len()];
    for m in &counted {
        let Some(c) = column(m.resource) else { continue };
        let v = stored.get(&m.id).map(|v| v[0]).unwrap_or(Amount::NoData);
        match (m.placement, m.premise_id) {
            (Placement::Individual, Some(p)) => {
                let cell = &mut per_premise.entry(p).or_insert_with(|| vec![None; shown.len()])[c];
                *cell = Some(cell.map_or(v, |sum| sum + v));
                individual[c] = if has_individual[c] { individual[c] + v } else { v };
                has_individual[c] = true;
            }
            _ => common[c] = Some(common[c].map_or(v, |sum| sum + v)),
        }
    }

    let mut rows: Vec<PremiseRow> = premise::list(db, caller.company_id, o.id)
        .await?
        .into_iter()
        .filter_map(|p| {
            let values = per_premise.remove(&p.id)?;
            Some(PremiseRow { premise_id: p.id, number: p.number, entrance: p.entrance, area: p.area, residents: p.residents, values })
        })
        .collect();
    rows.sort_by(|a, b| natural_key(&a.number).cmp(&natural_key(&b.number)));
    if !begun {
        rows.clear();
    }
    let objects = object::names(db, caller.company_id).await?;
    Ok(Premises {
        query: CompareQuery { object: Some(o.id), resource: shown.first().copied().filter(|_| columns == Columns::One), ..answered },
        objects,
        resources,
        shown,
        rows,
        individual,
        common,
        begun,
    })
}
