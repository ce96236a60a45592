//! The polling console («Опрос приборов», SANEXT AutoPMS, F4): a building's meters on
//! buses with their last values and last poll, and a status bar of the building's polling.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Placement, Resource};
use crate::i18n::{Lang, Msg};

/// The console's tabs: device categories as AutoPMS groups them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Category {
    #[default]
    ElectricityFlats,
    ElectricityCommon,
    HeatWaterFlats,
    HeatWaterCommon,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::ElectricityFlats,
        Category::ElectricityCommon,
        Category::HeatWaterFlats,
        Category::HeatWaterCommon,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::ElectricityFlats => "el-flats",
            Category::ElectricityCommon => "el-common",
            Category::HeatWaterFlats => "hw-flats",
            Category::HeatWaterCommon => "hw-common",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The tab's name.
    pub fn label(self) -> Msg {
        match self {
            Category::ElectricityFlats => Msg::CatElFlats,
            Category::ElectricityCommon => Msg::CatElCommon,
            Category::HeatWaterFlats => Msg::CatHwFlats,
            Category::HeatWaterCommon => Msg::CatHwCommon,
        }
    }

    pub fn resources(self) -> Vec<Resource> {
        match self {
            Category::ElectricityFlats | Category::ElectricityCommon => vec![Resource::Electricity],
            _ => vec![
                Resource::Heat,
                Resource::ColdWater,
                Resource::HotWater,
                Resource::Gas,
            ],
        }
    }

    pub fn placement(self) -> Placement {
        match self {
            Category::ElectricityFlats | Category::HeatWaterFlats => Placement::Individual,
            _ => Placement::Common,
        }
    }

    /// Whether a meter of this placement and resource belongs on the tab.
    pub fn holds(self, placement: Placement, resource: Resource) -> bool {
        placement == self.placement() && self.resources().contains(&resource)
    }
}

/// One device on a bus.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsoleRow {
    pub meter_id: i64,
    /// «кв. 12», or the common meter's label.
    pub place: String,
    pub resource: Resource,
    pub model: String,
    pub serial: String,
    /// The communicator (bus, modem) the meter hangs on.
    pub line: String,
    pub address: String,
    /// `mercury`, `mbus`, `modbus`, or empty when the meter is not read automatically.
    pub protocol: String,
    pub tariffs: u8,
    /// Fraction digits of the meter's display: values show all of them (505,900).
    #[serde(default)]
    pub fraction: u8,
    /// Latest values: total, then T1–T4.
    pub values: [Option<Decimal>; 5],
    /// When the latest value was taken (`dd.mm.yyyy HH:MM`, building time).
    pub changed: Option<String>,
    /// When the meter was last polled, and how it went.
    pub polled: Option<String>,
    pub ok: Option<bool>,
    pub message: String,
}

impl ConsoleRow {
    /// How the meter's last poll went, in words: not read automatically, answered (with the
    /// collector's note), the reason it did not, or «—» before its first poll.
    pub fn state(&self, lang: Lang) -> String {
        let answered = Msg::PollAnswered.text(lang);
        match (self.protocol.is_empty(), self.ok) {
            (true, _) => Msg::PollNotRead.text(lang).to_string(),
            (false, Some(true)) if self.message.is_empty() => answered.to_string(),
            (false, Some(true)) => format!("{answered}: {}", self.message),
            (false, Some(false)) => self.message.clone(),
            (false, None) => "—".into(),
        }
    }
}

/// A line (communicator) of the building a device can hang on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineChoice {
    pub id: i64,
    pub name: String,
}

/// A meter of the console's tab as the device form offers it, with how it is read now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceChoice {
    pub meter_id: i64,
    /// «кв. 12 · Меркурий 230 · 41234012».
    pub label: String,
    pub line_id: Option<i64>,
    /// Empty when the collector does not read it.
    pub protocol: String,
    pub address: String,
}

/// The device form's choices: the building's lines and the tab's meters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceChoices {
    pub lines: Vec<LineChoice>,
    pub meters: Vec<DeviceChoice>,
}

/// The protocols the collector speaks, with their names on screen.
pub const PROTOCOLS: [(&str, &str); 3] = [
    ("mercury", "Меркурий 230/236"),
    ("mbus", "M-Bus"),
    ("modbus", "Modbus RTU/TCP"),
];

/// A poll job as the status bar shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobProgress {
    pub id: i64,
    /// `schedule` or `manual`.
    pub reason: String,
    pub running: bool,
    pub done: i64,
    pub total: i64,
    pub ok: i64,
    /// When it was asked for, building time.
    pub requested: String,
    /// Seconds it has waited in the queue (not yet claimed) or run.
    pub seconds: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Console {
    pub object_id: i64,
    pub object_name: String,
    pub category: Category,
    pub rows: Vec<ConsoleRow>,
    /// Next scheduled poll, building time.
    pub next_poll: Option<String>,
    /// Meters read automatically in the building, and how their last poll went.
    pub total: i64,
    pub polled: i64,
    pub not_polled: i64,
    pub job: Option<JobProgress>,
    pub can_poll: bool,
}

/// One frame of a meter's poll on the terminal tab.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExchangeLine {
    /// `HH:MM:SS.mmm`, building time.
    pub time: String,
    /// Sent to the meter (otherwise received: a reply, a damaged reply or noise).
    pub sent: bool,
    /// Bytes as spaced hex: `01 08 05 00`.
    pub hex: String,
}

/// The terminal tab: the raw exchange of the last poll of a chosen meter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Terminal {
    pub object_id: i64,
    pub object_name: String,
    /// The building's meters on buses: id and «кв. 12 · Меркурий 230 · 41234012».
    pub meters: Vec<(i64, String)>,
    pub meter_id: Option<i64>,
    /// When the shown poll was, how it went.
    pub polled: Option<String>,
    pub ok: Option<bool>,
    pub message: String,
    pub lines: Vec<ExchangeLine>,
}
