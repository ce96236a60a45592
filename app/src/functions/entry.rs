//! Readings typed by people: field staff walking a building, dispatchers at the desk.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::errors::AppError;
use crate::models::entry::{EntryInput, EntryResult};

/// Most entries one send may carry: a large building walked offline.
pub const MAX_ENTRIES_PER_SEND: usize = 5_000;

/// Stores typed readings once each (by their device-made ids) and reports every value's
/// fate. The source is the caller's role: field staff, dispatcher or resident; a resident
/// reaches the meters of their own premises only.
#[server(endpoint = "submit_readings", input = Json)]
pub async fn submit_readings(entries: Vec<EntryInput>) -> Result<Vec<EntryResult>, AppError> {
    use crate::auth::caller::authorize_any;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::{Permission, Role};
    use crate::storage::reading::Source;

    let (db, c) = authorize_any(&[Permission::EnterReadings, Permission::OwnPremises]).await?;
    if entries.len() > MAX_ENTRIES_PER_SEND {
        return Err(AppError::invalid(Msg::MenuReadings, Problem::TooLong));
    }
    let (source, only) = match c.role {
        Role::FieldStaff => (Source::FieldStaff, None),
        Role::Resident => (
            Source::Resident,
            Some(crate::storage::resident::meter_ids(&db, c.company_id, c.user_id).await?),
        ),
        _ => (Source::Dispatcher, None),
    };
    let results =
        crate::ingest::entry::submit(&db, &crate::ingest::entry::Author::person(&c), source, only.as_deref(), entries).await?;
    let stored = results.iter().filter(|r| r.stored).count();
    tracing::info!(
        user = c.user_id,
        stored,
        sent = results.len(),
        "readings entered"
    );
    Ok(results)
}

/// The entry form of one personal account; `None` when the company has no such account
/// (a typo in the number is an answer to show, not an error).
#[server(endpoint = "entry_sheet")]
pub async fn entry_sheet(
    account: String,
) -> Result<Option<crate::models::entry::EntrySheet>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::EnterReadings).await?;
    if account.trim().chars().count() > 64 {
        return Ok(None);
    }
    crate::queries::entry_sheet::sheet(&db, &c, &account).await
}

/// The buildings field staff can walk: every building of the company.
#[server(endpoint = "field_buildings")]
pub async fn field_buildings() -> Result<Vec<crate::models::field::FieldBuilding>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::EnterReadings).await?;
    crate::queries::field_sheet::buildings(&db, &c).await
}

/// One building's sheet for field entry; another company's building is "not found".
#[server(endpoint = "field_sheet")]
pub async fn field_sheet(object_id: i64) -> Result<crate::models::field::FieldSheet, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::EnterReadings).await?;
    crate::queries::field_sheet::sheet(&db, &c, object_id).await
}
