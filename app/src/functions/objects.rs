//! The company's objects (buildings).

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::views::{ObjectCard, ObjectRow};

#[server(endpoint = "list_objects")]
pub async fn list_objects() -> Result<Vec<ObjectRow>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{city, object};

    let (db, c) = authorize(Permission::ViewObjects).await?;
    let objects = object::list(&db, c.company_id).await?;
    let counts = object::list_counts(&db, c.company_id).await?;
    let cities = city::list_for_company(&db, c.company_id).await?;
    Ok(objects
        .into_iter()
        .map(|o| {
            let (premises, meters) = object::counts_of(&counts, o.id);
            let city = o
                .city_id
                .and_then(|id| cities.iter().find(|c| c.id == id))
                .map(|c| c.name.clone())
                .unwrap_or_default();
            ObjectRow {
                id: o.id,
                name: o.name,
                address: o.address,
                city,
                time_zone: o.time_zone,
                premises,
                meters,
                residents: o.residents,
                total_area: o.total_area,
            }
        })
        .collect())
}

/// One object's card; an id of another company's object is "not found".
#[server(endpoint = "get_object")]
pub async fn get_object(id: i64) -> Result<ObjectCard, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::object;

    let (db, c) = authorize(Permission::ViewObjects).await?;
    let o = object::get(&db, c.company_id, id).await?;
    Ok(ObjectCard {
        id: o.id,
        name: o.name,
        kind: o.kind,
        address: o.address,
        fias_code: o.fias_code,
        under_construction: o.under_construction,
        latitude: o.latitude,
        longitude: o.longitude,
        total_area: o.total_area,
        residents: o.residents,
        time_zone: o.time_zone,
        heating_season: o.heating_season,
        poll_time: o.poll_time,
    })
}
