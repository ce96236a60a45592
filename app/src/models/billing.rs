//! The monthly billing export (F39, issue 28): a company hands its billing (1С, its РСО) and
//! ГИС ЖКХ the readings of every flat's meter for a billing period, once, in the template the
//! receiver imports; every run keeps its file and a protocol that says, meter by meter, what
//! was sent and what was not and why.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::period::Basis;
use super::Resource;

/// The file layout the receiver imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Template {
    /// ГИС ЖКХ: the portal's XLSX template of metering-device readings.
    GisZhkh,
    /// 1С:Учёт в управляющих компаниях ЖКХ: a semicolon CSV its readings import takes.
    OneC,
}

impl Template {
    pub const ALL: [Template; 2] = [Template::GisZhkh, Template::OneC];

    pub fn as_str(self) -> &'static str {
        match self {
            Template::GisZhkh => "gis_zhkh",
            Template::OneC => "1c",
        }
    }

    pub fn parse(s: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn name(self) -> &'static str {
        match self {
            Template::GisZhkh => "ГИС ЖКХ (XLSX)",
            Template::OneC => "1С (CSV)",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Template::GisZhkh => "xlsx",
            Template::OneC => "csv",
        }
    }
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RunStatus {
    /// Still being made (a run cut short by a restart stays so and says so).
    Running,
    /// Every meter sent.
    Success,
    /// The file is made, but some meters were not sent (each with its reason).
    WithErrors,
    /// No file: the run stopped on a fault (its protocol says which).
    Failed,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Success => "success",
            RunStatus::WithErrors => "with_errors",
            RunStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> RunStatus {
        match s {
            "success" => RunStatus::Success,
            "with_errors" => RunStatus::WithErrors,
            "running" => RunStatus::Running,
            _ => RunStatus::Failed,
        }
    }

    pub fn name(self, english: bool) -> &'static str {
        match (self, english) {
            (RunStatus::Running, false) => "выполняется",
            (RunStatus::Success, false) => "успешно",
            (RunStatus::WithErrors, false) => "с ошибками",
            (RunStatus::Failed, false) => "не выполнена",
            (RunStatus::Running, true) => "running",
            (RunStatus::Success, true) => "success",
            (RunStatus::WithErrors, true) => "with errors",
            (RunStatus::Failed, true) => "failed",
        }
    }
}

/// Why a meter's reading was not sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reason {
    /// The premise has no personal account: billing has nothing to charge it to.
    NoAccount,
    /// The meter has no serial number: billing matches meters by serial and resource.
    NoSerial,
    /// A hand-read meter has no reading in the period (its figure stands by the average or
    /// the norm, which billing computes itself).
    NoReading,
    /// An automatic meter has sent nothing in the ten days before the period's end.
    Silent,
    /// The period's reading waits for a dispatcher's confirmation.
    Waiting,
    /// Lower than the value sent for an earlier period: a typo or a meter changed unseen.
    Lower,
    /// The newest value is an estimate, not a reading.
    Estimated,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NoAccount => "no_account",
            Reason::NoSerial => "no_serial",
            Reason::NoReading => "no_reading",
            Reason::Silent => "silent",
            Reason::Waiting => "waiting",
            Reason::Lower => "lower",
            Reason::Estimated => "estimated",
        }
    }

    pub fn parse(s: &str) -> Option<Reason> {
        [
            Reason::NoAccount,
            Reason::NoSerial,
            Reason::NoReading,
            Reason::Silent,
            Reason::Waiting,
            Reason::Lower,
            Reason::Estimated,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    pub fn name(self, english: bool) -> &'static str {
        match (self, english) {
            (Reason::NoAccount, false) => "у помещения нет лицевого счёта",
            (Reason::NoSerial, false) => "у прибора нет заводского номера",
            (Reason::NoReading, false) => "нет показания за период",
            (Reason::Silent, false) => "нет показаний больше 10 дней",
            (Reason::Waiting, false) => "показание ждёт подтверждения диспетчера",
            (Reason::Lower, false) => "показание меньше переданного ранее",
            (Reason::Estimated, false) => "значение расчётное, не показание",
            (Reason::NoAccount, true) => "the premise has no personal account",
            (Reason::NoSerial, true) => "the meter has no serial number",
            (Reason::NoReading, true) => "no reading in the period",
            (Reason::Silent, true) => "no readings for over 10 days",
            (Reason::Waiting, true) => "the reading waits for a dispatcher's confirmation",
            (Reason::Lower, true) => "lower than the value sent before",
            (Reason::Estimated, true) => "an estimate, not a reading",
        }
    }
}

/// One run of the export, as its list and its protocol's head show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportRun {
    pub id: i64,
    pub period: NaiveDate,
    pub template: Template,
    /// Start and end, the company's local time as people read it (`dd.mm.yyyy чч:мм`).
    pub started: String,
    pub finished: String,
    pub seconds: Option<i64>,
    pub status: RunStatus,
    pub sent: i64,
    pub not_sent: i64,
    /// A re-run: meters whose values differ from the run it repeats.
    pub changed: i64,
    pub started_by: String,
    pub again_of: Option<i64>,
    pub file_name: String,
}

/// One meter's line of a protocol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportLine {
    pub object: String,
    pub flat: String,
    pub account: String,
    pub serial: String,
    pub resource: Resource,
    pub taken_on: Option<NaiveDate>,
    /// The reading per tariff: T1 (the only one of a one-tariff meter), T2, T3.
    pub values: [Option<Decimal>; 3],
    /// The period's consumption and what it stands on.
    pub volume: Option<Decimal>,
    pub basis: Basis,
    pub sent: bool,
    pub reason: Option<Reason>,
    /// A re-run: what the repeated run sent for this meter, when it differs.
    pub was: String,
}

/// «Выгрузка в биллинг»: the runs, newest first, and what the caller may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BillingPage {
    pub runs: Vec<ExportRun>,
    /// The period the form offers: the last one whose window has closed.
    pub period: NaiveDate,
    pub may_run: bool,
    /// The automatic export, if the company has one.
    pub schedule: Option<Schedule>,
    /// The billing window's last day: an automatic export runs on a later day.
    pub window_last_day: u32,
    /// When the automatic export runs next (the day of a period not yet exported).
    pub next_run: Option<NaiveDate>,
}

/// A company's automatic export: on `day` of each month, after its billing window, the
/// period whose window has closed goes out in `template`, once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub template: Template,
    pub day: u32,
}

impl Schedule {
    /// A schedule people can set: a day every month has, after the window's last day.
    pub fn new(template: Template, day: u32, window_last_day: u32) -> Option<Schedule> {
        (day > window_last_day && day <= 28).then_some(Schedule { template, day })
    }
}

/// One run with its protocol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Protocol {
    pub run: ExportRun,
    pub lines: Vec<ExportLine>,
    /// The fault that stopped a failed run, in words.
    pub fault: String,
}
