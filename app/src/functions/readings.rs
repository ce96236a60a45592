//! Readings of a building for dispatchers and readers.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::readings_table::{ReadingsColumn, ReadingsPage, ReadingsQuery};

/// One page of a building's readings table.
#[server(endpoint = "readings_table")]
pub async fn readings_table(
    #[server(default)] query: ReadingsQuery,
) -> Result<ReadingsPage, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::queries::readings_table;

    let (db, c) = authorize(Permission::ViewData).await?;
    let chosen = crate::prefs::read_cookie(crate::components::layout::OBJECT_COOKIE)
        .and_then(|v| v.parse().ok());
    readings_table::page(&db, &c, query, chosen).await
}

/// Remembers which columns of the readings table this user wants to see.
#[server(endpoint = "save_readings_columns")]
pub async fn save_readings_columns(columns: Vec<ReadingsColumn>) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::queries::readings_table::COLUMNS_PREFERENCE;

    let (db, c) = authorize(Permission::ViewData).await?;
    let text = ReadingsColumn::list_text(&columns);
    crate::storage::preference::set(&db, c.user_id, COLUMNS_PREFERENCE, &text).await?;
    Ok(())
}
