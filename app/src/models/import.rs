//! What an import of a company's file found and did (issue 22): the validation report a
//! person reads before anything is written, and the counts after.

use serde::{Deserialize, Serialize};

/// What a file brings in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportKind {
    /// Buildings with their address, ФИАС code and figures.
    Buildings,
    /// Premises of buildings with their personal accounts and owners.
    Premises,
    /// Meters with their place, register, dates and line.
    Meters,
    /// Readings history: a value per tariff on a date, by personal account or serial.
    Readings,
}

impl ImportKind {
    pub const ALL: [ImportKind; 4] =
        [ImportKind::Buildings, ImportKind::Premises, ImportKind::Meters, ImportKind::Readings];

    /// The name on the command line and in addresses.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Buildings => "buildings",
            ImportKind::Premises => "premises",
            ImportKind::Meters => "meters",
            ImportKind::Readings => "readings",
        }
    }

    pub fn parse(s: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One thing wrong in the file, where a person finds it: the row as the spreadsheet numbers
/// it (the header is row 1), the column's header, the value and why it is refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportIssue {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// How many of one kind of record the file adds, changes and leaves as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EntityCount {
    /// `building`, `premise`, `account`, `owner`, `meter`, `reading`.
    pub entity: String,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub kind: ImportKind,
    /// Data rows read (empty rows skipped).
    pub rows: usize,
    pub counts: Vec<EntityCount>,
    pub issues: Vec<ImportIssue>,
    /// The changes were written (only when asked and the file had no issues).
    pub written: bool,
    /// Readings the typed-reading checks hold for a dispatcher's confirmation (lower than the
    /// one before, or a jump): stored, not yet counted.
    #[serde(default)]
    pub to_confirm: usize,
}

impl ImportReport {
    /// Records the file would add or change.
    pub fn changes(&self) -> usize {
        self.counts.iter().map(|c| c.added + c.updated).sum()
    }

    pub fn count(&self, entity: &str) -> EntityCount {
        self.counts
            .iter()
            .find(|c| c.entity == entity)
            .cloned()
            .unwrap_or_default()
    }
}
