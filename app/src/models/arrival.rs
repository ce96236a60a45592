//! «Поступление данных» (F24, EK 4.2.3): which of a building's meters delivered which
//! records of an archive (hourly, daily, monthly) over a period, and for one meter its
//! parameters record by record, with a marker where a record is missing or flagged.

use serde::{Deserialize, Serialize};

use super::{Placement, Resource};
use crate::i18n::Msg;

/// The archive a meter keeps: its registers at each hour, each midnight, or each month's
/// first midnight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Archive {
    Hour,
    #[default]
    Day,
    Month,
}

impl Archive {
    pub const ALL: [Archive; 3] = [Archive::Hour, Archive::Day, Archive::Month];

    pub fn as_str(self) -> &'static str {
        match self {
            Archive::Hour => "hour",
            Archive::Day => "day",
            Archive::Month => "month",
        }
    }

    pub fn parse(s: &str) -> Option<Archive> {
        Archive::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Archive::Hour => Msg::ArHour,
            Archive::Day => Msg::ArDay,
            Archive::Month => Msg::ArMonth,
        }
    }

    /// Days the period spans when none is asked: a day of hours, a week of days, a year of
    /// months.
    pub fn default_days(self) -> i64 {
        match self {
            Archive::Hour => 1,
            Archive::Day => 7,
            Archive::Month => 365,
        }
    }
}

/// The most records a period may hold: four days of hours, three months of days, eight
/// years of months. A longer period is cut at its end and the page says so.
pub const MAX_SLOTS: usize = 96;

/// What one record of a meter is: every parameter delivered, some, any of them flagged by
/// the checks (a lowered value, a jump, waiting for a dispatcher, rejected, estimated), or
/// none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Slot {
    Full,
    Partial,
    Flagged,
    Missing,
}

impl Slot {
    pub const ALL: [Slot; 4] = [Slot::Full, Slot::Partial, Slot::Flagged, Slot::Missing];

    pub fn key(self) -> &'static str {
        match self {
            Slot::Full => "full",
            Slot::Partial => "partial",
            Slot::Flagged => "flagged",
            Slot::Missing => "missing",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Slot::Full => Msg::ArFull,
            Slot::Partial => Msg::ArPartial,
            Slot::Flagged => Msg::ArFlagged,
            Slot::Missing => Msg::ArMissing,
        }
    }

    /// One character for the file a dispatcher downloads.
    pub fn mark(self) -> &'static str {
        match self {
            Slot::Full => "+",
            Slot::Partial => "±",
            Slot::Flagged => "!",
            Slot::Missing => "−",
        }
    }

    /// A record's state from how many of the meter's `of` parameters it holds and whether
    /// any of them is flagged.
    pub fn of(delivered: usize, of: usize, flagged: bool) -> Slot {
        if flagged {
            Slot::Flagged
        } else if delivered == 0 {
            Slot::Missing
        } else if delivered < of {
            Slot::Partial
        } else {
            Slot::Full
        }
    }
}

/// The page's filters, kept in its address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivalQuery {
    pub object: Option<i64>,
    pub resource: Option<Resource>,
    pub placement: Option<Placement>,
    pub archive: Archive,
    /// `YYYY-MM-DD`, building days, both included.
    pub from: Option<String>,
    pub to: Option<String>,
}

impl ArrivalQuery {
    /// The query read off the address; unknown values are ignored, not refused.
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> ArrivalQuery {
        let mut q = ArrivalQuery::default();
        for (k, v) in pairs {
            match k {
                "object" => q.object = v.parse().ok(),
                "resource" => q.resource = Resource::parse(v),
                "placement" => q.placement = Placement::parse(v),
                "archive" => q.archive = Archive::parse(v).unwrap_or_default(),
                "from" if !v.is_empty() => q.from = Some(v.to_string()),
                "to" if !v.is_empty() => q.to = Some(v.to_string()),
                _ => {}
            }
        }
        q
    }

    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(o) = self.object {
            parts.push(format!("object={o}"));
        }
        if let Some(r) = self.resource {
            parts.push(format!("resource={}", r.as_str()));
        }
        if let Some(p) = self.placement {
            parts.push(format!("placement={}", p.as_str()));
        }
        parts.push(format!("archive={}", self.archive.as_str()));
        if let Some(f) = &self.from {
            parts.push(format!("from={f}"));
        }
        if let Some(t) = &self.to {
            parts.push(format!("to={t}"));
        }
        parts.join("&")
    }
}

/// One meter's line: where it is, and each record of the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArrivalMeter {
    pub id: i64,
    /// «кв. 12», or empty for a building's meter.
    pub premise: String,
    pub placement: Placement,
    pub resource: Resource,
    pub model: String,
    pub serial: String,
    /// How many parameters (channels) it has.
    pub parameters: usize,
    pub slots: Vec<Slot>,
}

impl ArrivalMeter {
    pub fn count(&self, s: Slot) -> usize {
        self.slots.iter().filter(|x| **x == s).count()
    }

    /// Records with something delivered, as a share of all, in whole percent.
    pub fn completeness(&self) -> u32 {
        if self.slots.is_empty() {
            return 0;
        }
        let got = self.slots.len() - self.count(Slot::Missing);
        (got * 100 / self.slots.len()) as u32
    }
}

/// The page: the building's meters by the filters, each with its records of the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Arrival {
    pub query: ArrivalQuery,
    pub objects: Vec<(i64, String)>,
    pub object_id: i64,
    /// The period shown, `YYYY-MM-DD`, both days included.
    pub from: String,
    pub to: String,
    /// Each record's time as the building reads it (`dd.mm HH:MM`, `dd.mm.yyyy`, `mm.yyyy`).
    pub slots: Vec<String>,
    pub meters: Vec<ArrivalMeter>,
    /// The period held more than `MAX_SLOTS` records and was cut at its end.
    pub cut: bool,
}

impl Arrival {
    /// How many meters delivered each record (something of it): the chart under the table.
    pub fn delivered_per_slot(&self) -> Vec<usize> {
        (0..self.slots.len())
            .map(|i| self.meters.iter().filter(|m| m.slots.get(i).is_some_and(|s| *s != Slot::Missing)).count())
            .collect()
    }
}

/// What the checks said of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mark {
    Decreased,
    Jump,
    Estimated,
    Waiting,
    Rejected,
}

impl Mark {
    pub fn label(self) -> Msg {
        match self {
            Mark::Decreased => Msg::EvDecreased,
            Mark::Jump => Msg::EvJump,
            Mark::Estimated => Msg::ArEstimated,
            Mark::Waiting => Msg::ArWaiting,
            Mark::Rejected => Msg::ArRejected,
        }
    }
}

/// One parameter of a meter's record: its value as the meter gave it, and the checks'
/// marks where it is flagged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArrivalCell {
    /// The exact decimal; `None` where the record lacks it.
    pub value: Option<String>,
    pub marks: Vec<Mark>,
}

/// One meter's records of the period, a column per parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArrivalDetail {
    pub meter_id: i64,
    pub serial: String,
    pub premise: String,
    /// Each parameter's name and unit (as stored: `volume`, `m3`).
    pub parameters: Vec<(String, String)>,
    /// Each record's time and its cells, one per parameter.
    pub rows: Vec<(String, Vec<ArrivalCell>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arrival_query_survives_its_own_address() {
        let q = ArrivalQuery {
            object: Some(3),
            resource: Some(Resource::Heat),
            placement: Some(Placement::Common),
            archive: Archive::Hour,
            from: Some("2026-12-01".into()),
            to: Some("2026-12-02".into()),
        };
        let back = ArrivalQuery::from_pairs(q.query_string().split('&').filter_map(|p| p.split_once('=')));
        assert_eq!(back, q);
        // nonsense is ignored: a day archive of every building's first
        let junk = ArrivalQuery::from_pairs([("archive", "week"), ("object", "x"), ("resource", "wine")].into_iter());
        assert_eq!(junk, ArrivalQuery::default());
    }

    #[test]
    fn a_record_is_flagged_before_it_is_partial_and_missing_only_when_empty() {
        assert_eq!(Slot::of(2, 2, false), Slot::Full);
        assert_eq!(Slot::of(1, 2, false), Slot::Partial);
        assert_eq!(Slot::of(0, 2, false), Slot::Missing);
        assert_eq!(Slot::of(1, 2, true), Slot::Flagged);
        let m = ArrivalMeter {
            id: 1,
            premise: "кв. 1".into(),
            placement: Placement::Individual,
            resource: Resource::ColdWater,
            model: String::new(),
            serial: String::new(),
            parameters: 1,
            slots: vec![Slot::Full, Slot::Missing, Slot::Flagged, Slot::Missing],
        };
        assert_eq!(m.completeness(), 50);
        assert_eq!(m.count(Slot::Missing), 2);
    }
}
