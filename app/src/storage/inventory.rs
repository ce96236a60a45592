//! The meter inventory («Приборы учёта»): a company's meters with the building, premise and
//! line each hangs on, narrowed by the filters the list is asked by. Words typed into the
//! search are matched by the caller, in Rust, so Cyrillic folds the same on both databases.

use chrono::NaiveDate;
use sqlx::Row;

use super::meter::{from_row, Meter};
use super::{Db, Result};

/// What the database narrows by; `None` is «any».
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub object_id: Option<i64>,
    pub placement: Option<String>,
    pub resource: Option<String>,
    /// A communicator's `line`, or `none` for meters without one.
    pub line: Option<String>,
    pub state: Option<String>,
    /// Next verification in `[from, to)`; retired meters are never due.
    pub due_in: Option<(NaiveDate, NaiveDate)>,
    /// Only meters without a next verification date.
    pub due_unknown: bool,
}

/// A meter as the inventory lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    pub meter: Meter,
    pub object_name: String,
    pub time_zone: String,
    pub premise: Option<String>,
    /// The communicator's line and name; `None` without one.
    pub line: Option<(String, String)>,
}

/// The company's meters that pass `f`, in buildings not archived, by building, common
/// meters first, then premises and resources.
pub async fn list(db: &Db, company_id: i64, f: &Filter) -> Result<Vec<Listed>> {
    let (from, to) = f
        .due_in
        .map(|(a, b)| (a.format("%Y-%m-%d").to_string(), b.format("%Y-%m-%d").to_string()))
        .unwrap_or_default();
    let rows = sqlx::query(
        "SELECT m.*, o.name AS object_name, o.time_zone AS object_time_zone, p.number AS premise_number,
                c.line AS line_kind, c.name AS line_name
         FROM meters m JOIN objects o ON o.id = m.object_id
              LEFT JOIN premises p ON p.id = m.premise_id
              LEFT JOIN communicators c ON c.id = m.communicator_id
         WHERE m.company_id = $1 AND o.archived_at IS NULL
           AND ($2 = 0 OR m.object_id = $2)
           AND ($3 = '' OR m.placement = $3)
           AND ($4 = '' OR m.resource = $4)
           AND ($5 = '' OR ($5 = 'none' AND c.id IS NULL) OR c.line = $5)
           AND ($6 = '' OR m.state = $6)
           AND ($7 = '' OR (m.state <> 'retired' AND m.next_verification_on >= $7 AND m.next_verification_on < $8))
           AND ($9 = 0 OR m.next_verification_on IS NULL)
         ORDER BY o.name, o.id, m.placement, p.number, m.resource, m.id",
    )
    .bind(company_id)
    .bind(f.object_id.unwrap_or(0))
    .bind(f.placement.clone().unwrap_or_default())
    .bind(f.resource.clone().unwrap_or_default())
    .bind(f.line.clone().unwrap_or_default())
    .bind(f.state.clone().unwrap_or_default())
    .bind(from)
    .bind(to)
    .bind(f.due_unknown as i64)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let kind: Option<String> = r.try_get("line_kind")?;
            let name: Option<String> = r.try_get("line_name")?;
            Ok(Listed {
                meter: from_row(r)?,
                object_name: r.try_get("object_name")?,
                time_zone: r.try_get("object_time_zone")?,
                premise: r.try_get("premise_number")?,
                line: kind.map(|k| (k, name.unwrap_or_default())),
            })
        })
        .collect()
}
