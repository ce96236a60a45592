//! The company's objects (buildings): the list, the card with its poll schedule, archive.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::building::BuildingForm;
use crate::models::views::{BuildingCard, ObjectRow};

/// The buildings list; with `archived`, the archived ones too.
#[server(endpoint = "list_objects")]
pub async fn list_objects(archived: Option<bool>) -> Result<Vec<ObjectRow>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{city, object};

    let (db, c) = authorize(Permission::ViewObjects).await?;
    let objects = if archived == Some(true) {
        object::list_with_archived(&db, c.company_id).await?
    } else {
        object::list(&db, c.company_id).await?
    };
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
                archived: o.archived_at.is_some(),
            }
        })
        .collect())
}

/// One building's card; an id of another company's building is "not found".
#[server(endpoint = "get_object")]
pub async fn get_object(id: i64) -> Result<BuildingCard, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::object;

    let (db, c) = authorize(Permission::ViewObjects).await?;
    let o = object::get(&db, c.company_id, id).await?;
    Ok(BuildingCard {
        id: o.id,
        archived: o.archived_at.is_some(),
        editable: c.role.allows(Permission::ManageObjects),
        form: form_of(&o),
    })
}

/// Creates a building (`id` = None) or changes one; answers its id. The journal keeps each
/// changed field with its value before and after.
#[server(endpoint = "save_object")]
pub async fn save_object(id: Option<i64>, form: BuildingForm) -> Result<i64, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{audit, object};

    let (db, c) = authorize(Permission::ManageObjects).await?;
    let b = form.check().map_err(|(m, p)| AppError::invalid(m, p))?;
    let before = match id {
        Some(id) => Some(object::get(&db, c.company_id, id).await?),
        None => None,
    };
    let mut o = before.clone().unwrap_or(object::Object {
        company_id: c.company_id,
        ..Default::default()
    });
    o.take_card(&b);
    if before.is_none() {
        // a new building's season, when ticked, starts today; later changes go through
        // «Сезон», with its rules and history
        o.heating_season = b.heating_season;
    }
    o.weather_station = b.weather_station;
    o.poll_enabled = b.poll_enabled;
    o.poll_time = b.poll_time;
    o.poll_days = b.poll_days;
    let (id, details) = match &before {
        Some(was) => {
            object::update(&db, &o).await?;
            (o.id, format!("{} #{}: {}", o.address, o.id, changes(&form_of(was), &form_of(&o))))
        }
        None => {
            let made = object::create(&db, &o).await?;
            if made.heating_season {
                let today = crate::consumption::calendar::local_date(crate::queries::readings_table::zone(&made), crate::storage::now());
                crate::storage::heating_season::record(&db, c.company_id, &[made.id], true, today, Some(c.user_id), crate::storage::now()).await?;
            }
            (made.id, format!("{} #{}", made.address, made.id))
        }
    };
    let action = if before.is_some() { "edit_object" } else { "create_object" };
    audit::create(&db, Some(c.company_id), Some(c.user_id), action, &details, &c.ip).await?;
    Ok(id)
}

/// Archives a building (out of the lists and the schedule, history kept) or brings it back.
#[server(endpoint = "archive_object")]
pub async fn archive_object(id: i64, archived: bool) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{audit, now, object};

    let (db, c) = authorize(Permission::ManageObjects).await?;
    let o = object::get(&db, c.company_id, id).await?;
    object::set_archived(&db, c.company_id, id, archived.then(now)).await?;
    let action = if archived { "archive_object" } else { "restore_object" };
    let details = format!("{} #{}", o.address, o.id);
    audit::create(&db, Some(c.company_id), Some(c.user_id), action, &details, &c.ip).await?;
    Ok(())
}

/// The form a stored building fills.
#[cfg(feature = "ssr")]
fn form_of(o: &crate::storage::object::Object) -> BuildingForm {
    let coordinate = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let count = |n: i64| if n == 0 { String::new() } else { n.to_string() };
    BuildingForm {
        name: o.name.clone(),
        address: o.address.clone(),
        fias_code: o.fias_code.clone(),
        under_construction: o.under_construction,
        latitude: coordinate(o.latitude),
        longitude: coordinate(o.longitude),
        total_area: o.total_area.clone(),
        residents: count(o.residents),
        floors: count(o.floors),
        entrances: count(o.entrances),
        time_zone: o.time_zone.clone(),
        heating_season: o.heating_season,
        weather_station: o.weather_station.clone(),
        poll_enabled: o.poll_enabled,
        poll_time: o.poll_time.clone(),
        poll_days: o.poll_days.clone(),
    }
}

/// «поле: было → стало» for each field that changed, for the journal.
#[cfg(feature = "ssr")]
fn changes(was: &BuildingForm, now: &BuildingForm) -> String {
    let (a, b) = (
        serde_json::to_value(was).unwrap_or_default(),
        serde_json::to_value(now).unwrap_or_default(),
    );
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return String::new();
    };
    let changed: Vec<String> = b
        .iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k}: {} → {}", a.get(k).cloned().unwrap_or_default(), v))
        .collect();
    if changed.is_empty() {
        "без изменений".into()
    } else {
        changed.join("; ")
    }
}
