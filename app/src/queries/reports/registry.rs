//! «Реестр показаний ИПУ»: every individual meter of a building (a replacement chain under
//! its newest meter, as in the subscribers' list) — or, as «Показания всех приборов», the
//! common ones (ОДПУ) too — with its readings at the month's start and
//! end per tariff, the month's consumption from the rollup, where the closing reading came
//! from, and marks for what a billing clerk must look at (an estimate, a drop, a jump, a
//! gap). Its resource totals are the subscribers' list's individual totals.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};

use crate::auth::caller::Caller;
use crate::consumption::{calendar, SLOTS};
use crate::errors::AppError;
use crate::i18n::{resource_name, source_name, unit_name, Lang, Msg};
use crate::models::reports::{Report, Cell};
use crate::models::period::{Basis, PeriodAmount};
use crate::models::{Amount, Placement, Resource};
use crate::queries::period::{self, Terms};
use crate::queries::readings_table::zone;
use crate::storage::consumption_day::{self, Span};
use crate::storage::reading::{flags, Source};
use crate::storage::{account, channel, meter, object, premise, Db};

/// Which meters a registry lists.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Meters {
    /// Flats' meters (ИПУ): the registry billing reads.
    Individual,
    /// Every meter, the building's common ones (ОДПУ) after the flats'.
    All,
}

/// The calendar month's figures (the rollup's), or the billing period's (issue 27: readings
/// taken in the window, the average or the norm where there are none).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum View {
    Month,
    Period,
}

#[allow(clippy::too_many_arguments)]
pub async fn make(db: &Db, caller: &Caller, objects: &[object::Object], month: NaiveDate, which: Meters, view: View, with_building: bool, lang: Lang) -> Result<Report, AppError> {
    // readings that came in since the rollup last ran count now, as on the dashboard
    crate::rollup::refresh_stale(db, Some(caller.company_id), crate::queries::dashboard::REFRESH_BUDGET).await?;
    let tx = |m: Msg| m.text(lang).to_string();
    let mut rows = Vec::new();
    let mut sums: Vec<(Resource, Placement, Amount)> = Vec::new();
    for o in objects {
        for line in object_rows(db, o, month, which, view, lang).await? {
            match sums.iter_mut().find(|(r, p, _)| (*r, *p) == (line.resource, line.placement)) {
                Some((_, _, sum)) => *sum = *sum + line.month,
                None => sums.push((line.resource, line.placement, line.month)),
            }
            for mut cells in line.cells {
                if with_building {
                    cells.insert(0, o.name.clone().into());
                }
                rows.push(cells);
            }
        }
    }
    sums.sort_by_key(|(r, p, _)| (*p == Placement::Common, Resource::ALL.iter().position(|x| x == r)));
    let mut header: Vec<String> = [
        Msg::ColAccount,
        Msg::ColFlat,
        Msg::NpResource,
        Msg::ColMeter,
        Msg::ColTariff,
        Msg::RepAtStart,
        Msg::RepAtEnd,
        Msg::ColValueDate,
        Msg::RepConsumption,
        Msg::Unit,
        Msg::Source,
        Msg::RepMarks,
    ]
    .map(tx)
    .to_vec();
    if with_building {
        header.insert(0, tx(Msg::NpObject));
    }
    let width = header.len();
    let totals = sums
        .into_iter()
        .map(|(r, placement, sum)| {
            let mut row = vec![Cell::Empty; width];
            let label = if placement == Placement::Common { Msg::RepCommonTotal } else { Msg::SubIndividual };
            row[0] = format!("{}: {}", tx(label), tx(resource_name(r))).into();
            row[width - 4] = sum.known().into();
            row[width - 3] = tx(unit_name(r)).into();
            if !sum.is_full() {
                row[width - 1] = tx(Msg::RepMarkGap).into();
            }
            row
        })
        .collect();
    Ok(Report { header, rows, totals, note: Some(tx(Msg::RepRegistryNote)), ..Default::default() })
}

/// A meter in the report: its month's consumption (for the totals) and one row per register
/// it has (a tariff, or the single reading of a one-tariff meter).
struct Line {
    resource: Resource,
    placement: Placement,
    month: Amount,
    cells: Vec<Vec<Cell>>,
}

async fn object_rows(db: &Db, o: &object::Object, month: NaiveDate, which: Meters, view: View, lang: Lang) -> Result<Vec<Line>, AppError> {
    let tx = |m: Msg| m.text(lang).to_string();
    let company_id = o.company_id;
    let tz = zone(o);
    let meters = meter::list_for_object(db, company_id, o.id).await?;
    let premises: HashMap<i64, premise::Premise> = premise::list(db, company_id, o.id).await?.into_iter().map(|p| (p.id, p)).collect();
    let accounts = account::lowest_by_premise(db, company_id, o.id).await?;
    // the subscribers' list's meters: every chain's newest individual meter with a premise
    // (and the common meters, where asked)
    let mut heads: Vec<&meter::Meter> = crate::queries::subscribers::heads(&meters)
        .into_iter()
        .filter(|m| match m.placement {
            Placement::Individual => m.premise_id.is_some(),
            Placement::Common => which == Meters::All,
        })
        .collect();
    let flat = |m: &meter::Meter| match m.placement {
        Placement::Common => tx(Msg::RepCommon),
        Placement::Individual => m.premise_id.and_then(|p| premises.get(&p)).map(|p| p.number.clone()).unwrap_or_default(),
    };
    heads.sort_by_key(|m| (m.placement == Placement::Common, premise::natural_key(&flat(m)), Resource::ALL.iter().position(|r| *r == m.resource), m.id));
    if heads.is_empty() {
        return Ok(Vec::new());
    }
    // per chain head and slot: the figure and what it stands on; the readings bounding it
    // are the last before `start` and before `end`
    let (stored, start, end): (HashMap<i64, [PeriodAmount; SLOTS]>, i64, i64) = match view {
        View::Month => {
            let (start, end) = super::month_ends(tz, month);
            let stored = consumption_day::of_object(db, company_id, o.id, Span::Month, month)
                .await?
                .into_iter()
                .map(|(id, v)| (id, v.map(|amount| PeriodAmount { amount, basis: Basis::Measured })))
                .collect();
            (stored, start, end)
        }
        View::Period => {
            let terms = Terms::of(db, o).await?;
            (
                period::figures(db, o, &terms, &meters, &premises, month, 1)
                    .await?
                    .into_iter()
                    .map(|(id, f)| (id, std::array::from_fn(|s| f[s][0])))
                    .collect(),
                // the period's readings: after the last period's window, before this one's end
                calendar::day_start(tz, terms.window.end_of(month - Months::new(1))),
                calendar::day_start(tz, terms.window.end_of(month)),
            )
        }
    };
    let ids: Vec<i64> = heads.iter().map(|m| m.id).collect();
    let channels: HashMap<i64, i64> = channel::main_of_meters(db, &ids).await?.into_iter().collect();
    let at = super::readings_before(db, company_id, channels.values().copied(), start, end).await?;

    let mut out = Vec::new();
    for m in heads {
        let v = stored.get(&m.id).copied().unwrap_or([PeriodAmount::NONE; SLOTS]);
        let ch = channels.get(&m.id).copied();
        let before = ch.and_then(|ch| at.get(&(ch, start)));
        let from = if view == View::Month { start - 1 } else { start };
        let last = ch.and_then(|ch| at.get(&(ch, end))).filter(|r| r.ts >= from);
        let mut marks: Vec<String> = Vec::new();
        if let Some(r) = last {
            if r.flags & flags::ESTIMATED != 0 || r.source == Source::Estimate {
                marks.push(tx(Msg::RepMarkEstimate));
            }
            if r.flags & flags::DECREASED != 0 {
                marks.push(tx(Msg::RepMarkDecreased));
            }
            if r.flags & flags::JUMP != 0 {
                marks.push(tx(Msg::RepMarkJump));
            }
        } else {
            marks.push(tx(if view == View::Month { Msg::RepMarkNoReading } else { Msg::RepMarkNoPeriodReading }));
        }
        let slots: Vec<usize> = if m.tariffs <= 1 { vec![0] } else { (1..=m.tariffs.min(4) as usize).collect() };
        let source = last.map(|r| tx(source_name(crate::queries::meter_card::source_name(r.source)))).unwrap_or_default();
        let account = m.premise_id.and_then(|p| accounts.get(&p)).cloned().unwrap_or_default();
        let registers = slots
            .iter()
            .map(|&s| {
                let PeriodAmount { amount: figure, basis } = v[s];
                let mut own = marks.clone();
                if basis != Basis::Measured && figure.known().is_some() {
                    own.push(basis.name(lang == Lang::En).to_string());
                } else if !figure.is_full() {
                    own.push(tx(Msg::RepMarkGap));
                }
                vec![
                    Cell::from(account.clone()),
                    flat(m).into(),
                    tx(resource_name(m.resource)).into(),
                    m.serial.clone().into(),
                    if s == 0 { Cell::Empty } else { format!("T{s}").into() },
                    before.and_then(|r| r.slot_value(s)).map(|x| x.normalize()).into(),
                    last.and_then(|r| r.slot_value(s)).map(|x| x.normalize()).into(),
                    last.map(|r| calendar::local_date(tz, r.ts)).into(),
                    figure.known().into(),
                    tx(unit_name(m.resource)).into(),
                    source.clone().into(),
                    own.join(", ").into(),
                ]
            })
            .collect();
        out.push(Line { resource: m.resource, placement: m.placement, month: v[0].amount, cells: registers });
    }
    Ok(out)
}
