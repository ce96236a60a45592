//! «Не опрашиваются» (F5): meters read automatically that did not answer their latest poll
//! or have been silent for more than a chosen number of days.

use serde::{Deserialize, Serialize};

use super::Resource;
use crate::i18n::{Lang, Msg};

/// The choices of «silent for more than N days».
pub const DAY_CHOICES: [i64; 5] = [1, 3, 7, 14, 30];
pub const DEFAULT_DAYS: i64 = 3;

/// Why a meter is on the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Silence {
    /// Its latest poll did not read it.
    NoAnswer,
    /// Heard from before, but not for the chosen days.
    Quiet,
    /// Never heard from since it was put on the line.
    Never,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SilentRow {
    pub meter_id: i64,
    pub object_id: i64,
    pub object: String,
    /// «кв. 12» or «ОДПУ».
    pub place: String,
    pub resource: Resource,
    pub model: String,
    pub serial: String,
    pub line: String,
    /// `dd.mm.yyyy HH:MM`, building time.
    pub last_contact: Option<String>,
    /// Whole days since the last contact (`None`: never).
    pub days: Option<i64>,
    pub polled: Option<String>,
    pub silence: Silence,
    /// What the latest poll said when it failed.
    pub message: String,
}

impl SilentRow {
    /// The reason column, in the reader's language.
    pub fn reason(&self, lang: Lang) -> String {
        match self.silence {
            Silence::NoAnswer if self.message.is_empty() => Msg::NpNoAnswer.text(lang).to_string(),
            Silence::NoAnswer => format!("{}: {}", Msg::NpNoAnswer.text(lang), self.message),
            Silence::Quiet => Msg::NpQuiet.text(lang).to_string(),
            Silence::Never => Msg::NpNever.text(lang).to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SilentList {
    pub days: i64,
    /// The building asked for; `None` is every building.
    pub object_id: Option<i64>,
    pub objects: Vec<(i64, String)>,
    pub rows: Vec<SilentRow>,
}
