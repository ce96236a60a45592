//! Monitoring (issue 23): events at meters and buildings — what the meters report and what
//! Uchet's checks find — for «Нештатные ситуации» and «Журнал событий».

use serde::{Deserialize, Serialize};

use super::Resource;
use crate::i18n::{Lang, Msg};

/// What happened. Each kind has one severity, so a list sorts and filters the same way
/// everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// A meter on a line not heard from for more than the company's days.
    Silent,
    /// The latest poll did not read the meter.
    NoAnswer,
    /// A reading lower than the one before, not a rollover: waits for a dispatcher.
    Decreased,
    /// A reading many times the usual consumption: waits for a dispatcher.
    Jump,
    /// The meter's verification date has passed: its readings are not good for billing.
    VerificationOverdue,
    /// A meter that used something each month used nothing for a week: stuck, shut off, or
    /// bypassed.
    ZeroUse,
    /// The meter's status: its battery (or supply) is low.
    BatteryLow,
    /// The meter's status: it reports an error of its own.
    MeterError,
    /// The meter's leak sensor (a LoRaWAN water meter's flag).
    Leak,
    /// The meter's journal: its cover was opened (a broken seal, tampering).
    CoverOpened,
    /// The meter's journal: a magnetic field was held to it (the common way to slow one).
    Magnet,
    /// The meter's journal: it lost power.
    PowerOff,
    /// A common meter's parameter outside the band its building's deviation rule allows.
    Deviation,
}

impl EventKind {
    pub const ALL: [EventKind; 13] = [
        EventKind::Silent,
        EventKind::NoAnswer,
        EventKind::Decreased,
        EventKind::Jump,
        EventKind::VerificationOverdue,
        EventKind::ZeroUse,
        EventKind::BatteryLow,
        EventKind::MeterError,
        EventKind::Leak,
        EventKind::CoverOpened,
        EventKind::Magnet,
        EventKind::PowerOff,
        EventKind::Deviation,
    ];

    /// The name kept in the database and in links.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Silent => "silent",
            EventKind::NoAnswer => "no_answer",
            EventKind::Decreased => "decreased",
            EventKind::Jump => "jump",
            EventKind::VerificationOverdue => "verification_overdue",
            EventKind::ZeroUse => "zero_use",
            EventKind::BatteryLow => "battery_low",
            EventKind::MeterError => "meter_error",
            EventKind::Leak => "leak",
            EventKind::CoverOpened => "cover_opened",
            EventKind::Magnet => "magnet",
            EventKind::PowerOff => "power_off",
            EventKind::Deviation => "deviation",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn severity(self) -> Severity {
        match self {
            EventKind::Decreased | EventKind::CoverOpened | EventKind::Magnet | EventKind::MeterError | EventKind::Leak => Severity::Alarm,
            EventKind::Silent
            | EventKind::Jump
            | EventKind::VerificationOverdue
            | EventKind::ZeroUse
            | EventKind::BatteryLow
            | EventKind::Deviation => Severity::Warning,
            EventKind::NoAnswer | EventKind::PowerOff => Severity::Info,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            EventKind::Silent => Msg::EvSilent,
            EventKind::NoAnswer => Msg::EvNoAnswer,
            EventKind::Decreased => Msg::EvDecreased,
            EventKind::Jump => Msg::EvJump,
            EventKind::VerificationOverdue => Msg::EvVerificationOverdue,
            EventKind::ZeroUse => Msg::EvZeroUse,
            EventKind::BatteryLow => Msg::EvBatteryLow,
            EventKind::MeterError => Msg::EvMeterError,
            EventKind::Leak => Msg::EvLeak,
            EventKind::CoverOpened => Msg::EvCoverOpened,
            EventKind::Magnet => Msg::EvMagnet,
            EventKind::PowerOff => Msg::EvPowerOff,
            EventKind::Deviation => Msg::EvDeviation,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Info,
    Warning,
    Alarm,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Alarm, Severity::Warning, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Alarm => "alarm",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Severity::Info => Msg::SevInfo,
            Severity::Warning => Msg::SevWarning,
            Severity::Alarm => Msg::SevAlarm,
        }
    }
}

/// Who told of the event: the meter itself, or Uchet's checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventSource {
    Meter,
    Computed,
}

impl EventSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EventSource::Meter => "meter",
            EventSource::Computed => "computed",
        }
    }

    pub fn parse(s: &str) -> Option<EventSource> {
        match s {
            "meter" => Some(EventSource::Meter),
            "computed" => Some(EventSource::Computed),
            _ => None,
        }
    }
}

/// The values around an event, kept with it: what was read and what came before, or what
/// the poll said. Strings, so decimals stay exact; each kind fills its own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventValues {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `dd.mm.yyyy HH:MM` of `value`, building time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_at: Option<String>,
    /// Whole days (silence, overdue verification).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// A date (the lapsed verification), `dd.mm.yyyy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// What the poll or the meter said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// When a condition the meter recorded ended, by its clock (`at` is when it began).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

impl EventValues {
    /// One line for the table: «12 300,000 после 12 345,670 (01.12.2026 00:00)».
    pub fn describe(&self, kind: EventKind, lang: Lang) -> String {
        let t = |m: Msg| m.text(lang);
        let num = |s: &Option<String>| {
            s.as_deref()
                .and_then(|v| v.parse::<rust_decimal::Decimal>().ok())
                .map(super::format::decimal)
                .unwrap_or_default()
        };
        match kind {
            EventKind::Decreased | EventKind::Jump => {
                let mut s = format!("{} {}", num(&self.value), self.at.clone().unwrap_or_default());
                if self.previous.is_some() {
                    s.push_str(&format!(
                        "; {} {} {}",
                        t(Msg::EvBefore),
                        num(&self.previous),
                        self.previous_at.clone().unwrap_or_default()
                    ));
                }
                s
            }
            EventKind::Silent => match &self.previous_at {
                Some(at) => format!("{} {at}", t(Msg::LastContact)),
                None => t(Msg::NpNever).to_string(),
            },
            EventKind::NoAnswer | EventKind::BatteryLow | EventKind::MeterError | EventKind::Leak | EventKind::Deviation => {
                self.message.clone().unwrap_or_default()
            }
            EventKind::VerificationOverdue => {
                format!("{} {}", t(Msg::EvDueSince), self.date.clone().unwrap_or_default())
            }
            EventKind::ZeroUse => format!(
                "{} {}, {} {}",
                t(Msg::EvZeroSince),
                self.date.clone().unwrap_or_default(),
                t(Msg::EvDays),
                self.days.unwrap_or_default()
            ),
            EventKind::CoverOpened | EventKind::Magnet | EventKind::PowerOff if self.message.is_some() => self.message.clone().unwrap_or_default(),
            EventKind::CoverOpened | EventKind::Magnet | EventKind::PowerOff => {
                let mut s = t(Msg::EvFromJournal).to_string();
                if let Some(at) = &self.at {
                    s.push_str(&format!(": {at}"));
                }
                if let Some(end) = &self.until {
                    s.push_str(&format!(" — {end}"));
                }
                s
            }
        }
    }
}

/// One event as the lists show it; times in the building's zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: i64,
    pub object_id: i64,
    pub object: String,
    pub meter_id: Option<i64>,
    /// «кв. 12» or «ОДПУ»; empty for a building's own event.
    pub place: String,
    pub resource: Option<Resource>,
    pub serial: String,
    /// The flat's personal account, where the meter is a flat's.
    pub account: String,
    pub kind: EventKind,
    pub severity: Severity,
    pub source: EventSource,
    /// `dd.mm.yyyy HH:MM`.
    pub started: String,
    pub started_at: i64,
    pub ended: Option<String>,
    pub resolved: Option<String>,
    pub resolved_by: String,
    pub comment: String,
    pub values: EventValues,
}

/// The columns of every event list and file, in order.
pub const COLUMNS: [Msg; 12] = [
    Msg::EvStarted,
    Msg::EvSeverity,
    Msg::EvKind,
    Msg::NpObject,
    Msg::ColPlace,
    Msg::Account,
    Msg::NpResource,
    Msg::ColMeter,
    Msg::EvValues,
    Msg::EvState,
    Msg::EvResolvedBy,
    Msg::EvComment,
];

/// The header and rows as text: a page's CSV and the files' cells alike.
pub fn text_rows(rows: &[EventRow], lang: Lang) -> Vec<Vec<String>> {
    let mut out = vec![COLUMNS.iter().map(|m| m.text(lang).to_string()).collect::<Vec<_>>()];
    out.extend(rows.iter().map(|r| r.cells(lang)));
    out
}

impl EventRow {
    /// The row's cells under `COLUMNS`.
    pub fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.started.clone(),
            self.severity.label().text(lang).to_string(),
            self.kind.label().text(lang).to_string(),
            self.object.clone(),
            self.place.clone(),
            self.account.clone(),
            self.resource.map(|x| crate::i18n::resource_name(x).text(lang).to_string()).unwrap_or_default(),
            self.serial.clone(),
            self.values.describe(self.kind, lang),
            self.state(lang),
            self.resolved_by.clone(),
            self.comment.clone(),
        ]
    }

    /// «идёт», «закончилось 05.12.2026 10:00», «решено …».
    pub fn state(&self, lang: Lang) -> String {
        match (&self.resolved, &self.ended) {
            (Some(at), _) => format!("{} {at}", Msg::EvResolved.text(lang)),
            (None, Some(at)) => format!("{} {at}", Msg::EvEnded.text(lang)),
            (None, None) => Msg::EvOngoing.text(lang).to_string(),
        }
    }
}

/// «Нештатные ситуации»: the computed events nobody resolved yet (with `resolved`, the
/// resolved ones too), of one building or all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Situations {
    pub object_id: Option<i64>,
    pub resolved: bool,
    pub objects: Vec<(i64, String)>,
    /// The newest ones, at most as many as a page shows; the file holds them all.
    pub rows: Vec<EventRow>,
    pub counts: SituationCounts,
}

/// How many situations there are, whatever the list shows: the open ones by severity, and
/// all that the list's filter matches (more than its rows when the list is cut).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SituationCounts {
    pub alarms: u64,
    pub warnings: u64,
    pub infos: u64,
    pub matching: u64,
}

/// What the event journal is asked for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JournalQuery {
    pub object: Option<i64>,
    pub kind: Option<EventKind>,
    pub severity: Option<Severity>,
    pub resource: Option<Resource>,
    /// `YYYY-MM-DD`, building days; the default is the last 30 days.
    pub from: Option<String>,
    pub to: Option<String>,
}

impl JournalQuery {
    /// The query read off a page's address (unknown values are ignored, not refused).
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> JournalQuery {
        let mut q = JournalQuery::default();
        for (k, v) in pairs {
            match k {
                "object" => q.object = v.parse().ok(),
                "kind" => q.kind = EventKind::parse(v),
                "severity" => q.severity = Severity::parse(v),
                "resource" => q.resource = Resource::parse(v),
                "from" if !v.is_empty() => q.from = Some(v.to_string()),
                "to" if !v.is_empty() => q.to = Some(v.to_string()),
                _ => {}
            }
        }
        q
    }

    /// The page's address (and, after `/export/events.xlsx`, the file's) for this query.
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(o) = self.object {
            parts.push(format!("object={o}"));
        }
        if let Some(k) = self.kind {
            parts.push(format!("kind={}", k.as_str()));
        }
        if let Some(s) = self.severity {
            parts.push(format!("severity={}", s.as_str()));
        }
        if let Some(r) = self.resource {
            parts.push(format!("resource={}", r.as_str()));
        }
        if let Some(f) = &self.from {
            parts.push(format!("from={f}"));
        }
        if let Some(t) = &self.to {
            parts.push(format!("to={t}"));
        }
        parts.join("&")
    }
}

/// The most rows the journal returns: a month of a big company's events fits; more asks
/// for a narrower filter.
pub const JOURNAL_LIMIT: usize = 5_000;

/// «Журнал событий»: the events of a period, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    pub query: JournalQuery,
    /// The period actually shown, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    pub objects: Vec<(i64, String)>,
    pub rows: Vec<EventRow>,
    /// More events matched than `JOURNAL_LIMIT`.
    pub truncated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_query_survives_its_own_address() {
        let q = JournalQuery {
            object: Some(3),
            kind: Some(EventKind::Decreased),
            severity: Some(Severity::Alarm),
            resource: Some(Resource::ColdWater),
            from: Some("2026-11-01".into()),
            to: Some("2026-11-30".into()),
        };
        let s = q.query_string();
        let back = JournalQuery::from_pairs(s.split('&').filter_map(|p| p.split_once('=')));
        assert_eq!(back, q);
    }

    #[test]
    fn unknown_filter_values_are_ignored() {
        let q = JournalQuery::from_pairs([("kind", "boom"), ("object", "x"), ("severity", "alarm")].into_iter());
        assert_eq!(q.kind, None);
        assert_eq!(q.object, None);
        assert_eq!(q.severity, Some(Severity::Alarm));
    }

    #[test]
    fn a_lowered_reading_is_described_with_the_one_before() {
        let v = EventValues {
            value: Some("12300.5".into()),
            at: Some("05.12.2026 00:00".into()),
            previous: Some("12345.67".into()),
            previous_at: Some("04.12.2026 00:00".into()),
            ..Default::default()
        };
        assert_eq!(
            v.describe(EventKind::Decreased, Lang::Ru),
            "12\u{a0}300,5 05.12.2026 00:00; до этого 12\u{a0}345,67 04.12.2026 00:00"
        );
    }
}
