//! The dashboard's billing-period view (issue 27): what the company's individual meters are
//! charged for a month as hand-read flats count it — the window's readings, the average or
//! the norm where they are missing — summed per resource, a row per building. The figures
//! are the lists «Абоненты и потребление» keeps in its period view, so the two agree.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::{add, REFRESH_BUDGET};
use crate::auth::caller::Caller;
use crate::consumption::{calendar, SLOTS};
use crate::errors::AppError;
use crate::models::dashboard::{BasisCounts, DashRow, Dashboard, ResourceTotal, Span};
use crate::models::{Amount, Resource};
use crate::queries::period::{period_of_query, Terms};
use crate::queries::subscribers::computed;
use crate::storage::{billing_window, object, Db};

/// Adds a building's sums of one resource into `into` (found or made in resource order).
fn add_into(into: &mut Vec<ResourceTotal>, resource: Resource, sums: &[Option<Amount>; SLOTS], bases: Option<&BasisCounts>) {
    let i = match into.iter().position(|t| t.resource == resource) {
        Some(i) => i,
        None => {
            into.push(ResourceTotal {
                resource,
                values: [None; SLOTS],
                meters: 0,
                meters_heard: 0,
                gaps: false,
                bases: bases.map(|_| BasisCounts::default()),
            });
            into.sort_by_key(|t| Resource::ALL.iter().position(|r| *r == t.resource));
            into.iter().position(|t| t.resource == resource).expect("just added")
        }
    };
    let t = &mut into[i];
    for (s, a) in sums.iter().enumerate() {
        if let Some(a) = a {
            t.values[s] = add(t.values[s], a.known());
            t.gaps |= !a.is_full();
        }
    }
    if let (Some(all), Some(b)) = (t.bases.as_mut(), bases) {
        all.add(b);
        t.meters += b.total();
        t.meters_heard += b.read();
        t.gaps |= b.total() > b.read();
    }
}

/// The period `date` names (else the last one whose window has closed) for `object` or the
/// whole company, days counted in `tz`.
pub(super) async fn dashboard(
    db: &Db,
    caller: &Caller,
    date: Option<NaiveDate>,
    object: Option<object::Object>,
    tz: chrono_tz::Tz,
) -> Result<Dashboard, AppError> {
    let buildings = match &object {
        Some(o) => vec![o.clone()],
        None => object::list(db, caller.company_id).await?,
    };
    crate::rollup::refresh_stale(db, Some(caller.company_id), REFRESH_BUDGET).await?;
    let window = billing_window::get(db, caller.company_id).await?;
    let today = calendar::local_date(tz, crate::storage::now());
    let month = period_of_query(date, window, today);
    let (mut resources, mut common) = (Vec::new(), Vec::new());
    let mut per_building: Vec<(String, Vec<(Resource, [Option<Decimal>; SLOTS])>)> = Vec::new();
    for o in &buildings {
        let terms = Terms::of(db, o).await?;
        let c = computed(db, caller.company_id, o, month, Some(&terms)).await?;
        let mut row = Vec::new();
        for (g, col) in c.columns.iter().enumerate() {
            add_into(&mut resources, col.resource, &c.individual[g], Some(&c.individual_counts[g]));
            if c.common[g].iter().any(Option::is_some) {
                add_into(&mut common, col.resource, &c.common[g], None);
            }
            row.push((col.resource, c.individual[g].map(|a| a.and_then(Amount::known))));
        }
        per_building.push((o.name.clone(), row));
    }
    let rows = per_building
        .into_iter()
        .map(|(name, row)| DashRow {
            date: month,
            name: Some(name),
            values: resources
                .iter()
                .map(|t| row.iter().find(|(r, _)| *r == t.resource).map_or([None; SLOTS], |(_, v)| *v))
                .collect(),
        })
        .collect();
    let (first, last) = Span::Period.bounds(month);
    let next = month + Months::new(1);
    Ok(Dashboard {
        object: object.map(|o| (o.id, o.name)),
        span: Span::Period,
        date: month,
        first,
        last,
        // a period whose window is still open is not counted whole yet
        counted: (today >= window.end_of(month)).then_some((first, last)),
        prev: month - Months::new(1),
        // the current period, its window perhaps still open, is the last one offered
        next: (next <= window.period_of(today)).then_some(next),
        resources,
        common,
        rows,
        pending: crate::storage::stale::get_count(db, Some(caller.company_id)).await?,
        window: Some((
            month.with_day(window.first_day).expect("window days exist in every month"),
            month.with_day(window.last_day).expect("window days exist in every month"),
        )),
    })
}
