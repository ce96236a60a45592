//! «Баланс» (F28, EK 4.1.8): a building's balance group by day of a month or by month of a
//! year — the roots, the signed children, the imbalance and its share against the allowed
//! one — with what each meter of the group counted over the period. From the rollup only.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};

use crate::auth::caller::Caller;
use crate::balance::{group, phases, sums};
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::balance::{Balance, BalanceQuery, BalanceRow, By, MemberRow, Part};
use crate::models::{Amount, Permission, Resource};
use crate::storage::consumption_day::{self, Span};
use crate::storage::meter::Meter;
use crate::storage::{balance_group, meter, norm, object, premise, Db};

/// The spans a period is shown by, its first and last day, and the total's span.
struct Period {
    by: By,
    first: NaiveDate,
    /// The last span shown: today's day or month at the latest.
    last: NaiveDate,
}

impl Period {
    fn of(q: &BalanceQuery, today: NaiveDate) -> Result<Period, AppError> {
        let asked = q.first_day()?;
        Ok(match q.by {
            By::Day => {
                let first = asked.unwrap_or_else(|| calendar::first_of_month(today));
                let end = first + Months::new(1) - chrono::Duration::days(1);
                Period { by: By::Day, first, last: end.min(today) }
            }
            By::Month => {
                let first = asked.unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
                let end = first.with_month(12).unwrap_or(first);
                Period { by: By::Month, first, last: end.min(calendar::first_of_month(today)) }
            }
        })
    }

    /// The first day of every span shown, oldest first (none for a period still to come).
    fn spans(&self) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut at = self.first;
        while at <= self.last {
            out.push(at);
            at = match self.by {
                By::Day => at + chrono::Duration::days(1),
                By::Month => at + Months::new(1),
            };
        }
        out
    }
}

/// The balance page for a query; `chosen` is the building picked in the top bar.
pub async fn balance(db: &Db, caller: &Caller, q: BalanceQuery, chosen: Option<i64>) -> Result<Balance, AppError> {
    let o = crate::queries::readings_table::pick_object(db, caller, q.object, chosen).await?;
    let meters = meter::list_for_object(db, caller.company_id, o.id).await?;
    let resources = super::resources_of(&meters);
    let today = calendar::local_date(crate::queries::readings_table::zone(&o), crate::storage::now());
    let period = Period::of(&q, today)?;
    let objects = object::names(db, caller.company_id).await?;
    let mut answered = BalanceQuery {
        object: Some(o.id),
        // switched to days, a year's page shows its latest month
        month: Some(period.first.max(calendar::first_of_month(period.last)).format("%Y-%m").to_string()),
        year: Some(period.first.year().to_string()),
        ..q.clone()
    };
    let editable = caller.role.allows(Permission::ManageObjects);
    let Some(resource) = super::resource_of(q.resource, &meters, &resources) else {
        answered.group = None;
        return Ok(Balance {
            query: answered,
            objects,
            resources,
            groups: Vec::new(),
            group_name: String::new(),
            norm: None,
            rows: Vec::new(),
            total: sums::row(None, &[], None),
            members: Vec::new(),
            phases: Vec::new(),
            editable,
        });
    };
    answered.resource = Some(resource);
    let stored = balance_group::list(db, caller.company_id, o.id).await?;
    let chosen_group = super::group_of(&stored, q.group, resource)?;
    answered.group = chosen_group.map(|g| g.id);
    let listed = super::listed_of(db, &stored, chosen_group, resource).await?;
    let members = group::members(&meters, resource, chosen_group.is_none(), &listed);
    let allowed = norm::for_object(db, norm::Kind::Imbalance, caller.company_id, o.city_id, o.id)
        .await?
        .get(&resource)
        .copied();

    let spans = period.spans();
    let (rows, totals) = match spans.last() {
        None => (Vec::new(), HashMap::new()),
        Some(last) => figures(db, caller.company_id, o.id, resource, &period, *last, &members, allowed).await?,
    };
    let total_parts: Vec<(Part, Amount)> = members
        .iter()
        .map(|(m, p)| (*p, totals.get(&m.id).copied().unwrap_or(Amount::NoData)))
        .collect();
    let premises: HashMap<i64, String> = premise::list(db, caller.company_id, o.id)
        .await?
        .into_iter()
        .map(|p| (p.id, p.number))
        .collect();
    Ok(Balance {
        query: answered,
        objects,
        resources,
        groups: super::choices(&stored, resource),
        group_name: chosen_group.map(|g| g.name.clone()).unwrap_or_default(),
        norm: allowed,
        total: sums::row(None, &total_parts, allowed),
        rows,
        phases: match resource {
            Resource::Electricity => phases::rows(
                &members
                    .iter()
                    .filter(|(_, p)| *p != Part::Root)
                    .map(|(m, _)| (phases::line_of(&m.phase), totals.get(&m.id).copied().unwrap_or(Amount::NoData)))
                    .collect::<Vec<_>>(),
            ),
            _ => Vec::new(),
        },
        members: members
            .iter()
            .map(|(m, p)| MemberRow {
                meter_id: m.id,
                serial: m.serial.clone(),
                place: super::place_of(m, &premises),
                common: m.placement == crate::models::Placement::Common,
                part: *p,
                amount: totals.get(&m.id).copied().unwrap_or(Amount::NoData),
            })
            .collect(),
        editable,
    })
}

/// The rows of every span and each member's total over the period: by days, the month's
/// own figure (a step across midnight belongs to no day but to its month); by months, the
/// months summed (a month without data makes the sum partial).
#[allow(clippy::too_many_arguments)]
async fn figures(
    db: &Db,
    company_id: i64,
    object_id: i64,
    resource: Resource,
    period: &Period,
    last: NaiveDate,
    members: &[(&Meter, Part)],
    allowed: Option<rust_decimal::Decimal>,
) -> Result<(Vec<BalanceRow>, HashMap<i64, Amount>), AppError> {
    let span = match period.by {
        By::Day => Span::Day,
        By::Month => Span::Month,
    };
    let data: HashMap<(i64, NaiveDate), Amount> =
        consumption_day::totals_of_object(db, company_id, object_id, resource, span, period.first, last)
            .await?
            .into_iter()
            .map(|(m, d, a)| ((m, d), a))
            .collect();
    let spans = period.spans();
    let rows = spans
        .iter()
        .map(|day| {
            let parts: Vec<(Part, Amount)> = members
                .iter()
                .map(|(m, p)| (*p, data.get(&(m.id, *day)).copied().unwrap_or(Amount::NoData)))
                .collect();
            sums::row(Some(*day), &parts, allowed)
        })
        .collect();
    let totals: HashMap<i64, Amount> = match period.by {
        By::Day => consumption_day::totals_of_object(db, company_id, object_id, resource, Span::Month, period.first, period.first)
            .await?
            .into_iter()
            .map(|(m, _, a)| (m, a))
            .collect(),
        By::Month => members
            .iter()
            .map(|(m, _)| (m.id, spans.iter().map(|d| data.get(&(m.id, *d)).copied().unwrap_or(Amount::NoData)).sum()))
            .collect(),
    };
    Ok((rows, totals))
}
