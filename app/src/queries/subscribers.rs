//! «Абоненты и потребление» (F9): a building's personal accounts with the month's
//! consumption per resource and tariff, from the consumption rollup (the dashboard's source,
//! so the two agree), and one account's card. A replaced meter counts under the meter that
//! replaced it; a meter with nothing measured makes its premise's figure partial.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};

use super::period::{self, Terms};
use super::readings_table::{pick_object, zone};
use crate::auth::caller::Caller;
use crate::components::table::all_words_in;
use crate::consumption::{calendar, SLOTS};
use crate::errors::AppError;
use crate::models::amount::shown_slots;
use crate::models::subscribers::{
    AccountView, AccountMeter, ResourceColumns, SubscriberRow, SubscriberSort, SubscribersPage,
    SubscribersQuery,
};
use crate::models::dashboard::BasisCounts;
use crate::models::period::{Basis, PeriodAmount};
use crate::models::{Amount, MeterState, Placement, Resource};
use crate::storage::consumption_day::{self, Span};
use crate::storage::{account, meter, object, object_generation, premise, resident, Db};

/// The month a query means: its own, else the last whole month in the building's time.
fn month_of(q: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    match q {
        Some(d) => calendar::first_of_month(d),
        None => calendar::first_of_month(today) - Months::new(1),
    }
}

/// Chain heads: meters no other meter replaced (a chain counts under its newest meter).
pub(crate) fn heads(meters: &[meter::Meter]) -> Vec<&meter::Meter> {
    let replaced: HashSet<i64> = meters.iter().filter_map(|m| m.replaces_meter_id).collect();
    meters.iter().filter(|m| !replaced.contains(&m.id)).collect()
}

/// Per slot: the sum so far, or `None` while no meter with that register was added.
type Sums = [Option<Amount>; SLOTS];

/// Adds a meter's figures to `into`, on the registers the meter has only (a one-tariff
/// meter adds nothing to T1–T4).
fn add(into: &mut Sums, v: &[Amount; SLOTS], tariffs: i64) {
    let has = |s: usize| s == 0 || (tariffs > 1 && s as i64 <= tariffs);
    for s in (0..SLOTS).filter(|s| has(*s)) {
        into[s] = Some(match into[s] {
            None => v[s],
            Some(sum) => sum + v[s],
        });
    }
}

/// The whole filtered, sorted list (every page); the page is cut by [`list`].
pub struct Table {
    pub object: object::Object,
    pub month: NaiveDate,
    pub whole: bool,
    pub columns: Vec<ResourceColumns>,
    pub rows: Vec<SubscriberRow>,
    pub individual: Vec<Sums>,
    pub common: Vec<Sums>,
    /// The billing period's view: per column group, the least measured basis in the
    /// individual meters' total.
    pub individual_bases: Vec<Basis>,
    /// The billing period's view: the terms its figures stand on.
    pub terms: Option<Terms>,
}

pub async fn table(db: &Db, caller: &Caller, q: &SubscribersQuery) -> Result<Table, AppError> {
    AppError::check_dates([&q.month])?;
    let o = pick_object(db, caller, q.object, None).await?;
    // readings that came in since the rollup last ran count now, as on the dashboard
    crate::rollup::refresh_stale(db, Some(caller.company_id), super::dashboard::REFRESH_BUDGET).await?;
    let tz = zone(&o);
    let today = calendar::local_date(tz, crate::storage::now());
    let terms = match q.by_period {
        true => Some(Terms::of(db, &o).await?),
        false => None,
    };
    let (month, whole) = match &terms {
        Some(t) => {
            let period = period::period_of_query(q.month, t.window, today);
            (period, today >= t.window.end_of(period))
        }
        None => {
            let month = month_of(q.month, today);
            (month, is_over(month, today))
        }
    };
    let c = computed(db, caller.company_id, &o, month, terms.as_ref()).await?;
    let mut rows: Vec<SubscriberRow> = c
        .rows
        .iter()
        .filter(|(_, hay)| all_words_in(hay, q.q.trim()))
        .map(|(row, _)| row.clone())
        .collect();
    sort(&mut rows, q.sort, q.desc);
    Ok(Table {
        object: o,
        month,
        whole,
        columns: c.columns.clone(),
        rows,
        individual: c.individual.clone(),
        common: c.common.clone(),
        individual_bases: c.individual_bases.clone(),
        terms,
    })
}

/// A building's list for a month before any search or sort: every row with the words a
/// search looks in, the column groups and the totals.
pub(crate) struct Computed {
    pub(crate) columns: Vec<ResourceColumns>,
    rows: Vec<(SubscriberRow, String)>,
    pub(crate) individual: Vec<Sums>,
    pub(crate) common: Vec<Sums>,
    individual_bases: Vec<Basis>,
    /// The billing period's view: per column group, the individual meters by the basis of
    /// their figure (the dashboard's period widgets).
    pub(crate) individual_counts: Vec<BasisCounts>,
}

/// Lists kept by (database, company, building, month, view) with the building's generations they were made
/// under: a thousand meters' rows are read and summed once, not on every page view, and
/// any change of the building's meters, flats, accounts or consumption makes a new one.
#[allow(clippy::type_complexity)]
static KEPT: std::sync::LazyLock<
    std::sync::Mutex<HashMap<Key, ((i64, i64), std::sync::Arc<Computed>)>>,
> = std::sync::LazyLock::new(Default::default);
/// The list being made per key, so a page opened by fifty people at once is made once.
#[allow(clippy::type_complexity)]
static MAKING: std::sync::LazyLock<
    std::sync::Mutex<HashMap<Key, std::sync::Arc<tokio::sync::Mutex<()>>>>,
> = std::sync::LazyLock::new(Default::default);
/// (database, company, building, month, view): the view is 0 for calendar months, else the
/// billing terms' fingerprint (a changed window or norm makes a new list).
type Key = (u64, i64, i64, NaiveDate, u64);
/// At most this many lists are kept (then all are dropped and made again as asked).
const KEEP_AT_MOST: usize = 256;

/// A building's list (kept while nothing in the building changes); `terms` asks for the
/// billing period's view.
pub(crate) async fn computed(
    db: &Db,
    company_id: i64,
    o: &object::Object,
    month: NaiveDate,
    terms: Option<&Terms>,
) -> Result<std::sync::Arc<Computed>, AppError> {
    // the generation first: a list made after it can only be newer than what it names
    let generation = object_generation::of(db, o.id).await?;
    let view = terms.map_or(0, |t| t.fingerprint() | 1);
    let key = (db.instance(), company_id, o.id, month, view);
    if let Some((g, c)) = KEPT.lock().expect("not poisoned").get(&key) {
        if *g == generation {
            return Ok(c.clone());
        }
    }
    // one request makes a building's list; the others asking meanwhile wait and take it
    let turn = {
        let mut making = MAKING.lock().expect("not poisoned");
        if making.len() >= KEEP_AT_MOST {
            making.retain(|_, m| std::sync::Arc::strong_count(m) > 1);
        }
        making.entry(key).or_default().clone()
    };
    let _turn = turn.lock().await;
    if let Some((g, c)) = KEPT.lock().expect("not poisoned").get(&key) {
        if *g == generation {
            return Ok(c.clone());
        }
    }
    let c = std::sync::Arc::new(compute(db, company_id, o, month, terms).await?);
    let mut kept = KEPT.lock().expect("not poisoned");
    if kept.len() >= KEEP_AT_MOST {
        kept.clear();
    }
    kept.insert(key, (generation, c.clone()));
    Ok(c)
}

async fn compute(
    db: &Db,
    company_id: i64,
    o: &object::Object,
    month: NaiveDate,
    terms: Option<&Terms>,
) -> Result<Computed, AppError> {
    let object_id = o.id;
    let meters = meter::list_for_object(db, company_id, object_id).await?;
    let premises = premise::list(db, company_id, object_id).await?;
    // per chain head: the month's figures from the rollup, or the period's with their basis
    let stored: HashMap<i64, ([Amount; SLOTS], Basis)> = match terms {
        None => consumption_day::of_object(db, company_id, object_id, Span::Month, month)
            .await?
            .into_iter()
            .map(|(id, v)| (id, (v, Basis::Measured)))
            .collect(),
        Some(t) => {
            let by_id = premises.iter().map(|p| (p.id, p.clone())).collect();
            period::figures(db, o, t, &meters, &by_id, month, 1)
                .await?
                .into_iter()
                .map(|(id, f)| {
                    let first: [PeriodAmount; SLOTS] = std::array::from_fn(|s| f[s][0]);
                    (id, (first.map(|p| p.amount), first[0].basis))
                })
                .collect()
        }
    };
    let chains = heads(&meters);

    // one column group per resource the building meters, tariff slots as its meters have
    let mut columns: Vec<ResourceColumns> = Vec::new();
    for r in Resource::ALL {
        let tariffs = chains
            .iter()
            .filter(|m| m.resource == r)
            .map(|m| m.tariffs.clamp(1, 4) as usize)
            .max();
        if let Some(n) = tariffs {
            let slots: Vec<usize> = (1..=n).collect();
            let fraction = chains
                .iter()
                .filter(|m| m.resource == r)
                .map(|m| m.capacity.fraction())
                .max()
                .unwrap_or(0);
            columns.push(ResourceColumns {
                resource: r,
                slots: shown_slots(&slots),
                fraction,
            });
        }
    }
    let group = |r: Resource| columns.iter().position(|c| c.resource == r);

    let empty = || vec![[None; SLOTS]; columns.len()];
    let mut per_premise: HashMap<i64, Vec<Sums>> = HashMap::new();
    let mut bases: HashMap<i64, Vec<Basis>> = HashMap::new();
    let mut serials: HashMap<i64, Vec<String>> = HashMap::new();
    let (mut individual, mut common) = (empty(), empty());
    let mut individual_bases = vec![Basis::Measured; if terms.is_some() { columns.len() } else { 0 }];
    let mut individual_counts = vec![BasisCounts::default(); if terms.is_some() { columns.len() } else { 0 }];
    for m in &chains {
        let Some(g) = group(m.resource) else { continue };
        let (v, basis) = stored.get(&m.id).copied().unwrap_or(([Amount::NoData; SLOTS], Basis::Measured));
        match (m.placement, m.premise_id) {
            (Placement::Individual, Some(p)) => {
                let b = &mut bases.entry(p).or_insert_with(|| vec![Basis::Measured; columns.len()])[g];
                *b = b.worst(basis);
                add(&mut per_premise.entry(p).or_insert_with(empty)[g], &v, m.tariffs);
                add(&mut individual[g], &v, m.tariffs);
                if let Some(b) = individual_bases.get_mut(g) {
                    *b = b.worst(basis);
                }
                if let Some(c) = individual_counts.get_mut(g) {
                    c.count((v[0] != Amount::NoData).then_some(basis));
                }
                serials.entry(p).or_default().push(m.serial.clone());
            }
            _ => add(&mut common[g], &v, m.tariffs),
        }
    }

    let accounts = account::list_for_object(db, company_id, object_id).await?;
    let mut rows = Vec::new();
    for p in premises {
        let values = per_premise.get(&p.id).cloned().unwrap_or_else(empty);
        let mut own: Vec<&account::Account> = accounts.iter().filter(|a| a.premise_id == p.id).collect();
        if own.is_empty() && !per_premise.contains_key(&p.id) {
            continue; // a premise with neither an account nor meters is nobody's row
        }
        own.sort_by(|a, b| a.number.cmp(&b.number));
        let hay_serials = serials.get(&p.id).map(|s| s.join(" ")).unwrap_or_default();
        let mut push = |number: String, owner: String| {
            let row = SubscriberRow {
                account: number,
                premise_id: p.id,
                flat: p.number.clone(),
                owner,
                values: values.clone(),
                bases: if terms.is_some() { bases.get(&p.id).cloned().unwrap_or_default() } else { Vec::new() },
            };
            let hay = format!("{} кв. {} {} {}", row.account, row.flat, row.owner, hay_serials);
            rows.push((row, hay));
        };
        if own.is_empty() {
            push(String::new(), String::new());
        }
        for a in own {
            push(a.number.clone(), a.owner_name.clone());
        }
    }
    Ok(Computed {
        columns,
        rows,
        individual,
        common,
        individual_bases,
        individual_counts,
    })
}

fn sort(rows: &mut [SubscriberRow], by: SubscriberSort, desc: bool) {
    let flat = |r: &SubscriberRow| premise::natural_key(&r.flat);
    rows.sort_by(|a, b| {
        let o = match by {
            SubscriberSort::Flat => flat(a).cmp(&flat(b)),
            SubscriberSort::Account => a.account.cmp(&b.account),
            SubscriberSort::Owner => a.owner.cmp(&b.owner),
            SubscriberSort::Resource(g) => {
                let v = |r: &SubscriberRow| r.values.get(g as usize).and_then(|x| x[0]).and_then(|a| a.known());
                v(a).cmp(&v(b))
            }
        };
        let o = o.then_with(|| flat(a).cmp(&flat(b)));
        if desc {
            o.reverse()
        } else {
            o
        }
    });
}

/// One page of the list.
pub async fn list(db: &Db, caller: &Caller, q: &SubscribersQuery) -> Result<SubscribersPage, AppError> {
    let t = table(db, caller, q).await?;
    let per_page = q.page_size();
    let pages = t.rows.len().div_ceil(per_page).max(1);
    let page = q.page.clamp(1, pages);
    let total_rows = t.rows.len();
    let rows = t
        .rows
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    Ok(SubscribersPage {
        object_id: t.object.id,
        object_name: t.object.name.clone(),
        objects: object::list(db, caller.company_id)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect(),
        month: t.month,
        whole: t.whole,
        columns: t.columns,
        rows,
        total_rows,
        page,
        per_page,
        individual: t.individual,
        individual_bases: t.individual_bases,
        common: t.common,
        window: t.terms.map(|t| t.window),
    })
}

/// One personal account's card for a month: its premise, who is registered in the cabinet,
/// and every meter (retired ones too) with the last reading and the month's consumption.
pub async fn account_card(
    db: &Db,
    caller: &Caller,
    number: &str,
    month: Option<NaiveDate>,
) -> Result<AccountView, AppError> {
    AppError::check_dates([&month])?;
    let a = account::get_by_number(db, caller.company_id, number.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let p = premise::get(db, caller.company_id, a.premise_id).await?;
    let o = object::get(db, caller.company_id, p.object_id).await?;
    let tz = zone(&o);
    let month = month_of(month, calendar::local_date(tz, crate::storage::now()));
    // the premise's meters only (not the building's 1 000 and more), and which of them were
    // replaced: their months count under the successor
    let own = meter::list_for_premise(db, caller.company_id, p.id).await?;
    let ids: Vec<i64> = own.iter().map(|m| m.id).collect();
    let replaced: HashSet<i64> = meter::successors_of(db, &ids)
        .await?
        .into_iter()
        .map(|(old, _)| old)
        .collect();
    let terms = Terms::of(db, &o).await?;
    let periods = period::figures(db, &o, &terms, &own, &HashMap::from([(p.id, p.clone())]), month, 1).await?;
    let mut meters = Vec::new();
    for m in own {
        let period = periods
            .get(&m.id)
            .map(|f| std::array::from_fn(|s| f[s][0]))
            .unwrap_or([PeriodAmount::NONE; SLOTS]);
        let month_amounts = if replaced.contains(&m.id) {
            [Amount::NoData; SLOTS]
        } else {
            consumption_day::of_meter(db, m.id, Span::Month, month, month)
                .await?
                .into_iter()
                .next()
                .map(|(_, v)| v)
                .unwrap_or([Amount::NoData; SLOTS])
        };
        meters.push(AccountMeter {
            meter: super::cabinet::cabinet_meter(db, caller.company_id, m, tz).await?,
            month: month_amounts,
            period,
        });
    }
    meters.sort_by_key(|a| {
        let m = &a.meter;
        (m.state == MeterState::Retired, Resource::ALL.iter().position(|r| *r == m.resource), m.id)
    });
    Ok(AccountView {
        account: a.number,
        owner: a.owner_name,
        object_id: o.id,
        object_name: o.name,
        address: o.address,
        flat: p.number,
        area: p.area,
        residents: p.residents,
        cabinet: resident::names_of(db, caller.company_id, p.id).await?,
        month,
        window: terms.window,
        meters,
    })
}

/// Whether a month is over in the building's calendar (its figures are whole).
pub fn is_over(month: NaiveDate, today: NaiveDate) -> bool {
    (month + Months::new(1)) <= today.with_day(1).unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn a_meter_adds_only_the_registers_it_has_and_a_missing_month_makes_the_sum_partial() {
        let full = |v: i64| Amount::Full(Decimal::from(v));
        let mut sums: Sums = [None; SLOTS];
        // a two-tariff meter: total, T1, T2
        add(&mut sums, &[full(10), full(6), full(4), Amount::NoData, Amount::NoData], 2);
        assert_eq!(sums, [Some(full(10)), Some(full(6)), Some(full(4)), None, None]);
        // a one-tariff meter adds to the total only
        add(&mut sums, &[full(5), Amount::NoData, Amount::NoData, Amount::NoData, Amount::NoData], 1);
        assert_eq!(sums[0], Some(full(15)));
        assert_eq!(sums[1], Some(full(6)));
        // a meter that measured nothing this month: the sum is partial
        add(&mut sums, &[Amount::NoData; SLOTS], 1);
        assert_eq!(sums[0], Some(Amount::Partial(Decimal::from(15))));
    }

    #[test]
    fn the_default_month_is_the_last_whole_one() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(month_of(None, today), NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        let chosen = NaiveDate::from_ymd_opt(2026, 7, 19);
        assert_eq!(month_of(chosen, today), NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        assert!(is_over(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), today));
        assert!(!is_over(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), today));
    }
}
