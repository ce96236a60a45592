//! Monitoring (issue 23): «Нештатные ситуации» and «Журнал событий», resolving a situation
//! with a comment, «Карта приборов», «LoRa-сеансы» and «Поступление данных».

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::arrival::{Arrival, ArrivalDetail};
use crate::models::lora::{LoraLog, LoraSessions};
use crate::models::meter_map::{MapBuilding, MeterMap};
use crate::models::monitoring::{Journal, Situations};

/// The unresolved situations of one building or all (`resolved`: the resolved ones too).
#[server(endpoint = "abnormal_situations")]
pub async fn abnormal_situations(object: Option<i64>, #[server(default)] resolved: bool) -> Result<Situations, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::monitoring::situations::list(&db, &c, object, resolved, crate::queries::monitoring::situations::SHOWN).await
}

/// Resolves a situation; the comment says what was done.
#[server(endpoint = "resolve_situation")]
pub async fn resolve_situation(id: i64, comment: String) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::EditData).await?;
    crate::queries::monitoring::situations::resolve(&db, &c, id, &comment).await
}

/// The event journal by the filters the page's address holds (`object`, `kind`, `severity`,
/// `resource`, `from`, `to`).
#[server(endpoint = "event_journal")]
pub async fn event_journal(query: String) -> Result<Journal, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let q = crate::models::monitoring::JournalQuery::from_pairs(query.split('&').filter_map(|p| p.split_once('=')));
    crate::queries::monitoring::journal::journal(&db, &c, q).await
}

/// «Карта приборов»: the buildings of one building's filter or all, of one resource or all
/// (an unknown resource is all), with their meters counted by last contact.
#[server(endpoint = "map_of_meters")]
pub async fn map_of_meters(object: Option<i64>, #[server(default)] resource: String) -> Result<MeterMap, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::{Permission, Resource};
    use crate::monitoring::map::MapConfig;

    // read before the first await: after it the request's context may be out of reach
    let tiles = use_context::<MapConfig>().unwrap_or_default().tiles;
    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::monitoring::map::map(&db, &c, object, Resource::parse(&resource), &tiles).await
}

/// The meters of a building picked on the map, silent ones first.
#[server(endpoint = "map_building_meters")]
pub async fn map_building_meters(object: i64, #[server(default)] resource: String) -> Result<MapBuilding, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::{Permission, Resource};

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::monitoring::map::building(&db, &c, object, Resource::parse(&resource)).await
}

/// «LoRa-сеансы»: the company's LoRaWAN devices (with a meter in building `object` when
/// given), each with its last packet and its packet error rate.
#[server(endpoint = "lora_devices")]
pub async fn lora_devices(object: Option<i64>) -> Result<LoraSessions, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::monitoring::lora::sessions(&db, &c, object).await
}

/// A LoRaWAN device's packets of the last five days, with their averages.
#[server(endpoint = "lora_packet_log")]
pub async fn lora_packet_log(device: i64) -> Result<LoraLog, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::monitoring::lora::log(&db, &c, device).await
}

/// «Поступление данных»: a building's meters with the records of one archive over a period,
/// by the filters the page's address holds (`object`, `resource`, `placement`, `archive`,
/// `from`, `to`).
#[server(endpoint = "data_arrival")]
pub async fn data_arrival(query: String) -> Result<Arrival, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let q = crate::models::arrival::ArrivalQuery::from_pairs(query.split('&').filter_map(|p| p.split_once('=')));
    crate::queries::monitoring::arrival::arrival(&db, &c, q).await
}

/// One meter's records of the same archive and period, parameter by parameter.
#[server(endpoint = "data_arrival_meter")]
pub async fn data_arrival_meter(meter: i64, query: String) -> Result<ArrivalDetail, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let q = crate::models::arrival::ArrivalQuery::from_pairs(query.split('&').filter_map(|p| p.split_once('=')));
    crate::queries::monitoring::arrival::detail(&db, &c, meter, q).await
}
