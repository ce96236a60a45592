//! A company's own data from its files (issue 22): buildings, premises with accounts and
//! owners, meters, readings history. Every import reads the whole file and checks every row first; the report lists
//! each problem by row and column; only a file without problems is written, in one
//! transaction. The same file twice changes nothing, a changed row changes its record.
//! The first-run page's company, the browser's upload and `server import` all end here.

pub mod buildings;
pub mod cells;
pub mod columns;
pub mod meters;
pub mod premises;
pub mod readings;
pub mod table;

use crate::errors::Problem;
use crate::i18n::{Lang, Msg};
use crate::models::import::{EntityCount, ImportIssue, ImportKind, ImportReport};
use crate::storage::{Db, StorageError};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not a table at all (its own Russian sentence).
    #[error(transparent)]
    Table(#[from] table::TableError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Storage(e.into())
    }
}

/// Reads `bytes` as a file of `kind` and checks it; with `write`, writes it when clean.
/// `object` is the building premises, meters and readings go to when the file has no
/// address column (or leaves it empty).
pub async fn run(
    db: &Db,
    company_id: i64,
    kind: ImportKind,
    bytes: &[u8],
    object: Option<i64>,
    write: bool,
) -> Result<ImportReport, ImportError> {
    let t = table::read(bytes)?;
    let today = chrono::Utc::now().date_naive();
    match kind {
        ImportKind::Buildings => buildings::run(db, company_id, &t, write).await,
        ImportKind::Premises => premises::run(db, company_id, &t, object, write, today).await,
        ImportKind::Meters => meters::run(db, company_id, &t, object, write, today).await,
        ImportKind::Readings => readings::run(db, company_id, &t, write).await,
    }
}

/// The company's buildings, archived ones too, by their address as [`buildings::address_key`]
/// reduces it.
pub(crate) async fn buildings_by_address(
    db: &Db,
    company_id: i64,
) -> Result<std::collections::HashMap<String, i64>, ImportError> {
    Ok(crate::storage::object::list_with_archived(db, company_id)
        .await?
        .into_iter()
        .map(|o| (buildings::address_key(&o.address), o.id))
        .collect())
}

/// The building a row names in its address column, or the one chosen for the whole file.
pub(crate) fn building_of(
    address: &str,
    has_column: bool,
    buildings: &std::collections::HashMap<String, i64>,
    chosen: Option<i64>,
) -> Result<i64, String> {
    if has_column && (!address.is_empty() || chosen.is_none()) {
        return buildings
            .get(&buildings::address_key(address))
            .copied()
            .ok_or_else(|| "дом не найден: сначала заведите или импортируйте его".to_string());
    }
    chosen.ok_or_else(|| "нет столбца «Адрес дома», и дом не выбран".into())
}

/// Counts of one kind of record while a file is planned.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counter {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Counter {
    pub fn named(self, entity: &str) -> EntityCount {
        EntityCount {
            entity: entity.into(),
            added: self.added,
            updated: self.updated,
            unchanged: self.unchanged,
        }
    }
}

/// An empty report of `kind` for `table`, and where each of `fields` is among its headers —
/// or the report of the missing or doubled columns.
pub(crate) fn begin(
    kind: ImportKind,
    table: &table::Table,
    fields: &[columns::Field],
) -> Result<(ImportReport, Vec<Option<usize>>), ImportReport> {
    let mut report = ImportReport {
        kind,
        rows: table.rows.len(),
        counts: Vec::new(),
        issues: Vec::new(),
        written: false,
        to_confirm: 0,
    };
    match columns::locate(fields, &table.headers) {
        Ok(at) => Ok((report, at)),
        Err(issues) => {
            report.issues = issues;
            Err(report)
        }
    }
}

pub(crate) fn issue(row: usize, column: &str, value: &str, reason: &str) -> ImportIssue {
    ImportIssue {
        row,
        column: column.into(),
        value: value.chars().take(100).collect(),
        reason: reason.into(),
    }
}

/// A card check's complaint in the words the forms use.
pub(crate) fn problem_text(field: Msg, p: Problem) -> String {
    crate::errors::AppError::invalid(field, p).text(Lang::Ru)
}

#[cfg(test)]
mod tests;
