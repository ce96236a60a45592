//! Archives missed while a line was down. A Mercury keeps the energy of today, of yesterday and
//! of each of the last twelve months; with the registers since reset they give, exactly, the
//! registers at the midnights a poll did not see: today's start is the register now less
//! today's energy, yesterday's start that less yesterday's energy, the first of a month the
//! register now less the energy of that month and of every month after it.
//!
//! An M-Bus meter sends its stored values (storage numbers 1, 2…) with every reply, each
//! dated by a date record of the same storage number; a date without a time is the due
//! date, and the value is the register at its end (the next local midnight).
//!
//! Pure functions: which period starts a meter lacks, which arrays give them, the registers
//! they give, and the dated stored values of an M-Bus reply. The poll asks the meter and
//! stores the result.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

use super::protocol::mbus::Record;
use super::protocol::mercury::EnergyArray;
use super::protocol::Measurement;

/// How many months back a Mercury keeps its monthly energy.
pub const MONTHS_KEPT: u32 = 12;
/// Within this many minutes of local midnight the meter's clock and ours may name different
/// days: no archive is asked then, the next poll does it.
pub const MIDNIGHT_MARGIN_MINUTES: i64 = 10;

/// A period start the meter's records lack: a day's midnight, or a month's first midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Start {
    Day(NaiveDate),
    Month(NaiveDate),
}

impl Start {
    pub fn date(self) -> NaiveDate {
        match self {
            Start::Day(d) | Start::Month(d) => d,
        }
    }
}

/// What is known of a meter's records when a poll begins.
#[derive(Clone, Debug, Default)]
pub struct Known {
    /// Local time of its first stored reading: nothing before it was ever missed.
    pub first: Option<NaiveDateTime>,
    /// Installed on: nothing before it belongs to this meter.
    pub installed_on: Option<NaiveDate>,
    /// Day records present (their local dates).
    pub days: Vec<NaiveDate>,
    /// Month records present (their first days).
    pub months: Vec<NaiveDate>,
}

impl Known {
    /// Whether a value at local time `at` is one an outage could have missed: after the
    /// first reading, and not before installation.
    pub fn may_fill(&self, at: NaiveDateTime) -> bool {
        self.first.is_some_and(|f| at > f) && self.installed_on.is_none_or(|i| at.date() >= i)
    }

    /// Whether the records already hold a value at local time `at` (a month's first midnight,
    /// or a recent day's midnight).
    pub fn holds(&self, at: NaiveDateTime) -> bool {
        let d = at.date();
        at.time() == NaiveTime::MIN
            && if d.day() == 1 { self.months.contains(&d) } else { self.days.contains(&d) }
    }
}

/// The first day of the month `back` months before `d`'s.
fn month_start(d: NaiveDate, back: u32) -> Option<NaiveDate> {
    d.with_day(1)?.checked_sub_months(Months::new(back))
}

/// The starts a meter lacks at local time `now`: today's and yesterday's midnights and the
/// first days of the months the meter still keeps, after its first reading and installation.
pub fn missing(now: NaiveDateTime, known: &Known) -> Vec<Start> {
    let today = now.date();
    let minutes = (now - today.and_time(NaiveTime::MIN)).num_minutes();
    if minutes < MIDNIGHT_MARGIN_MINUTES || minutes >= 24 * 60 - MIDNIGHT_MARGIN_MINUTES {
        return Vec::new();
    }
    let after = |d: NaiveDate| known.may_fill(d.and_time(NaiveTime::MIN));
    let mut out = Vec::new();
    for back in (0..MONTHS_KEPT).rev() {
        if let Some(d) = month_start(today, back) {
            if after(d) && !known.months.contains(&d) {
                out.push(Start::Month(d));
            }
        }
    }
    for d in [today.pred_opt(), Some(today)].into_iter().flatten() {
        if after(d) && !known.days.contains(&d) {
            out.push(Start::Day(d));
        }
    }
    out
}

/// The energy arrays that give `starts`, in the order to ask them.
pub fn arrays(today: NaiveDate, starts: &[Start]) -> Vec<EnergyArray> {
    let mut out = Vec::new();
    let days = starts.iter().filter_map(|s| match s {
        Start::Day(d) => Some(*d),
        Start::Month(_) => None,
    });
    let oldest_day = days.min();
    if oldest_day.is_some() {
        out.push(EnergyArray::Today);
    }
    if oldest_day.is_some_and(|d| d < today) {
        out.push(EnergyArray::Yesterday);
    }
    let deepest = starts
        .iter()
        .filter_map(|s| match s {
            Start::Month(d) => Some(months_between(*d, today)),
            Start::Day(_) => None,
        })
        .max();
    if let Some(deepest) = deepest {
        for back in 0..=deepest.min(MONTHS_KEPT - 1) {
            if let Some(d) = month_start(today, back) {
                out.push(EnergyArray::Month(d.month() as u8));
            }
        }
    }
    out
}

/// Whole months from `from`'s month to `to`'s.
fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let m = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    (m(to) - m(from)).max(0) as u32
}

/// Energy per (quantity, tariff) of one array, with its unit.
type Energies = BTreeMap<(&'static str, u8), (Decimal, &'static str)>;

fn energies(ms: &[Measurement]) -> Energies {
    ms.iter()
        .filter(|m| m.storage == 0)
        .map(|m| ((m.quantity, m.tariff), (m.value, m.unit)))
        .collect()
}

/// The registers at each start, from the registers now and the arrays the meter gave
/// (`arrays` in any order; an array it could not give is simply absent). A register whose
/// energies are missing, or that would come out below zero, is left out.
pub fn registers(
    today: NaiveDate,
    now: &[Measurement],
    arrays: &[(EnergyArray, Vec<Measurement>)],
    starts: &[Start],
) -> Vec<(Start, Vec<Measurement>)> {
    let given: BTreeMap<EnergyArray, Energies> = arrays
        .iter()
        .map(|(a, ms)| (*a, energies(ms)))
        .collect();
    // the energy between a start and now, as arrays to subtract
    let path = |s: Start| -> Option<Vec<EnergyArray>> {
        match s {
            Start::Day(d) if d == today => Some(vec![EnergyArray::Today]),
            Start::Day(d) if Some(d) == today.pred_opt() => {
                Some(vec![EnergyArray::Today, EnergyArray::Yesterday])
            }
            Start::Day(_) => None,
            Start::Month(d) => {
                let back = months_between(d, today);
                (back < MONTHS_KEPT).then(|| {
                    (0..=back)
                        .filter_map(|b| month_start(today, b))
                        .map(|m| EnergyArray::Month(m.month() as u8))
                        .collect()
                })
            }
        }
    };
    let mut out = Vec::new();
    for &start in starts {
        let Some(path) = path(start) else { continue };
        let values: Vec<Measurement> = now
            .iter()
            .filter(|m| m.storage == 0 && m.function == "instantaneous")
            .filter_map(|m| {
                let mut v = m.value;
                for a in &path {
                    let (e, unit) = given.get(a)?.get(&(m.quantity, m.tariff))?;
                    if *unit != m.unit {
                        return None;
                    }
                    v = v.checked_sub(*e)?;
                }
                (v >= Decimal::ZERO).then(|| Measurement { value: v.normalize(), ..m.clone() })
            })
            .collect();
        if !values.is_empty() {
            out.push((start, values));
        }
    }
    out
}

/// An M-Bus reply's stored values (storage number 1 and up) at the local time their date
/// record gives; storage numbers without a date are left out, as nothing says when they were.
pub fn stored(records: &[Record]) -> Vec<(NaiveDateTime, Vec<Measurement>)> {
    let mut dated: BTreeMap<u32, NaiveDateTime> = BTreeMap::new();
    for r in records.iter().filter(|r| r.storage > 0) {
        let Some(text) = r.date_time.as_deref() else { continue };
        let at = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").ok().or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.succ_opt())
                .map(|d| d.and_time(NaiveTime::MIN))
        });
        if let Some(at) = at {
            dated.entry(r.storage).or_insert(at);
        }
    }
    dated
        .into_iter()
        .map(|(storage, at)| {
            let values = records
                .iter()
                .filter(|r| r.storage == storage)
                .filter_map(|r| r.measurement.clone())
                .map(|m| Measurement { storage: 0, ..m })
                .collect();
            (at, values)
        })
        .filter(|(_, values): &(NaiveDateTime, Vec<Measurement>)| !values.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%d.%m.%Y").unwrap()
    }
    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%d.%m.%Y %H:%M").unwrap()
    }
    fn a_plus(tariff: u8, kwh: &str) -> Measurement {
        Measurement {
            quantity: "energy_a_plus",
            value: kwh.parse().unwrap(),
            unit: "kWh",
            tariff,
            storage: 0,
            function: "instantaneous",
        }
    }

    #[test]
    fn a_meter_never_read_misses_nothing() {
        assert!(missing(at("15.03.2026 07:00"), &Known::default()).is_empty());
    }

    #[test]
    fn after_an_outage_the_midnights_and_month_starts_since_the_first_reading_are_missing() {
        let known = Known {
            first: Some(at("20.12.2025 07:00")),
            days: vec![date("14.03.2026")],
            months: vec![date("01.02.2026")],
            ..Default::default()
        };
        assert_eq!(
            missing(at("15.03.2026 07:00"), &known),
            vec![
                Start::Month(date("01.01.2026")),
                Start::Month(date("01.03.2026")),
                Start::Day(date("15.03.2026")),
            ]
        );
    }

    #[test]
    fn nothing_before_installation_or_beyond_twelve_months_is_asked() {
        let known = Known {
            first: Some(at("01.01.2020 07:00")),
            installed_on: Some(date("10.02.2026")),
            ..Default::default()
        };
        let starts = missing(at("15.03.2026 07:00"), &known);
        assert_eq!(
            starts,
            vec![
                Start::Month(date("01.03.2026")),
                Start::Day(date("14.03.2026")),
                Start::Day(date("15.03.2026")),
            ]
        );
        let old = Known {
            first: Some(at("01.01.2020 07:00")),
            ..Default::default()
        };
        let starts = missing(at("15.03.2026 07:00"), &old);
        assert_eq!(starts.first(), Some(&Start::Month(date("01.04.2025"))));
        assert_eq!(starts.len(), 12 + 2);
    }

    #[test]
    fn near_midnight_no_archive_is_asked() {
        let known = Known {
            first: Some(at("01.01.2026 07:00")),
            ..Default::default()
        };
        assert!(missing(at("15.03.2026 23:55"), &known).is_empty());
        assert!(missing(at("15.03.2026 00:05"), &known).is_empty());
        assert!(!missing(at("15.03.2026 00:10"), &known).is_empty());
    }

    #[test]
    fn the_arrays_asked_are_those_the_starts_need() {
        let today = date("15.03.2026");
        assert_eq!(arrays(today, &[Start::Day(today)]), vec![EnergyArray::Today]);
        assert_eq!(
            arrays(today, &[Start::Day(date("14.03.2026"))]),
            vec![EnergyArray::Today, EnergyArray::Yesterday]
        );
        assert_eq!(
            arrays(today, &[Start::Month(date("01.01.2026"))]),
            vec![
                EnergyArray::Month(3),
                EnergyArray::Month(2),
                EnergyArray::Month(1)
            ]
        );
        assert!(arrays(today, &[]).is_empty());
    }

    #[test]
    fn registers_at_the_starts_are_exact_differences() {
        let today = date("15.03.2026");
        let now = vec![a_plus(0, "1500.125"), a_plus(1, "1000.100")];
        let given = vec![
            (EnergyArray::Today, vec![a_plus(0, "3.5"), a_plus(1, "2.001")]),
            (EnergyArray::Yesterday, vec![a_plus(0, "10.25"), a_plus(1, "7")]),
            (EnergyArray::Month(3), vec![a_plus(0, "150.125"), a_plus(1, "100.1")]),
            (EnergyArray::Month(2), vec![a_plus(0, "300")]),
        ];
        let starts = [
            Start::Day(today),
            Start::Day(date("14.03.2026")),
            Start::Month(date("01.03.2026")),
            Start::Month(date("01.02.2026")),
        ];
        let got = registers(today, &now, &given, &starts);
        let values = |i: usize| -> Vec<(u8, String)> {
            got[i].1.iter().map(|m| (m.tariff, m.value.to_string())).collect()
        };
        assert_eq!(got[0].0, Start::Day(today));
        assert_eq!(values(0), vec![(0, "1496.625".into()), (1, "998.099".into())]);
        assert_eq!(values(1), vec![(0, "1486.375".into()), (1, "991.099".into())]);
        assert_eq!(values(2), vec![(0, "1350".into()), (1, "900".into())]);
        // T1 of February is not supported: only the sum is known at 1 February
        assert_eq!(values(3), vec![(0, "1050".into())]);
    }

    #[test]
    fn a_register_that_would_go_below_zero_is_left_out() {
        let today = date("15.03.2026");
        let got = registers(
            today,
            &[a_plus(0, "1")],
            &[(EnergyArray::Today, vec![a_plus(0, "2")])],
            &[Start::Day(today)],
        );
        assert!(got.is_empty());
    }

    fn record(storage: u32, measurement: Option<Measurement>, date_time: Option<&str>) -> Record {
        Record {
            measurement,
            description: String::new(),
            storage,
            tariff: 0,
            function: "instantaneous",
            raw_value: None,
            date_time: date_time.map(str::to_string),
            hex: String::new(),
        }
    }

    #[test]
    fn an_mbus_stored_value_is_the_register_at_the_end_of_its_due_date() {
        let energy = |storage| Measurement {
            quantity: "heat_energy",
            value: "12.5".parse().unwrap(),
            unit: "Gcal",
            tariff: 0,
            storage,
            function: "instantaneous",
        };
        let records = vec![
            record(0, Some(energy(0)), None),
            record(0, None, Some("2026-03-15 07:05")),
            record(1, Some(energy(1)), None),
            record(1, None, Some("2026-02-28")),
            // a storage number without a date says nothing of when
            record(2, Some(energy(2)), None),
            record(3, Some(energy(3)), None),
            record(3, None, Some("2026-01-31 23:00")),
        ];
        let got = stored(&records);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, at("01.03.2026 00:00"));
        assert_eq!(got[0].1, vec![energy(0)]);
        assert_eq!(got[1].0, at("31.01.2026 23:00"));
    }
}
