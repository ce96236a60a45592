//! The polling console: what the collector did in a building, and polls asked by hand.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::polling::{Category, Console, DeviceChoices};

/// The console of a building (the asked one, else the one picked in the top bar).
#[server(endpoint = "polling_console")]
pub async fn polling_console(object: Option<i64>, category: Category) -> Result<Console, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let chosen = crate::prefs::read_cookie(crate::components::layout::OBJECT_COOKIE)
        .and_then(|v| v.parse().ok());
    crate::queries::console::console(&db, &c, object, chosen, category).await
}

/// Queues a poll for the collector: the whole building, one meter, one category of the
/// console (`category`), or chosen meters (`meters`); its job id.
#[server(endpoint = "poll_now")]
pub async fn poll_now(
    object: i64,
    meter: Option<i64>,
    #[server(default)] category: Option<Category>,
    #[server(default)] meters: Vec<i64>,
) -> Result<i64, AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::models::Permission;
    use crate::storage::{meter as meter_store, object as objects, poll_job, poll_target};

    let (db, c) = authorize(Permission::EditData).await?;
    // All must be this company's: another company's building or meter is "not found".
    objects::get(&db, c.company_id, object).await?;
    let mut chosen: Vec<i64> = meter.into_iter().chain(meters.iter().copied()).collect();
    for id in &chosen {
        if meter_store::get(&db, c.company_id, *id).await?.object_id != object {
            return Err(AppError::NotFound);
        }
    }
    if let Some(cat) = category {
        // the tab's meters that the collector reads
        let buses = poll_target::buses_of_object(&db, c.company_id, object).await?;
        chosen.extend(
            meter_store::list_for_object(&db, c.company_id, object)
                .await?
                .into_iter()
                .filter(|m| cat.holds(m.placement, m.resource))
                .filter(|m| buses.get(&m.id).is_some_and(|(protocol, _)| !protocol.is_empty()))
                .map(|m| m.id),
        );
        if chosen.is_empty() {
            return Err(AppError::Invalid { field: crate::i18n::Msg::PollChosen, problem: Problem::Required });
        }
    }
    chosen.sort_unstable();
    chosen.dedup();
    // one meter is a meter's job; a tab or several meters are a selection
    let selection = category.is_some() || chosen.len() > 1;
    let job = poll_job::create_manual(
        &db,
        &poll_job::Manual {
            company_id: c.company_id,
            object_id: object,
            meter_id: if selection { None } else { chosen.first().copied() },
            resource: None,
            meters: if selection { chosen.clone() } else { Vec::new() },
            requested_by: Some(c.user_id),
        },
    )
    .await?;
    let what = match (category, chosen.len()) {
        (Some(cat), n) => format!("category {}, {n} meters", cat.as_str()),
        (None, 0) => "the building".to_string(),
        (None, 1) => format!("meter {}", chosen[0]),
        (None, n) => format!("{n} meters"),
    };
    crate::storage::audit::create(
        &db,
        Some(c.company_id),
        Some(c.user_id),
        "poll.manual",
        &format!("object {object}, {what}, job {}", job.id),
        &c.ip,
    )
    .await
    .ok();
    Ok(job.id)
}

/// The console's device form: the building's lines and the tab's meters.
#[server(endpoint = "device_choices")]
pub async fn get_device_choices(object: i64, category: Category) -> Result<DeviceChoices, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::EditData).await?;
    crate::queries::console::device_choices(&db, &c, object, category).await
}

/// Puts a meter on a line for the collector (or changes how it is read): the line, the
/// protocol, its address on the bus and, for Mercury, its password.
#[server(endpoint = "save_device")]
pub async fn save_device(
    object: i64,
    meter: i64,
    line: i64,
    protocol: String,
    address: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::polling::PROTOCOLS;
    use crate::models::Permission;
    use crate::storage::{communicator, meter as meters};

    let (db, c) = authorize(Permission::EditData).await?;
    let m = meters::get(&db, c.company_id, meter).await?;
    if m.object_id != object {
        return Err(AppError::NotFound);
    }
    let bus = communicator::get(&db, c.company_id, line).await?;
    if bus.object_id.is_some_and(|id| id != object) || bus.line == "lorawan" {
        return Err(AppError::NotFound);
    }
    let invalid = |field, problem| AppError::Invalid { field, problem };
    let protocol = protocol.trim();
    if !PROTOCOLS.iter().any(|(p, _)| *p == protocol) {
        return Err(invalid(Msg::DevProtocol, Problem::Required));
    }
    // addresses 1…247 are Modbus's, 1…250 Mercury's and M-Bus's primary ones
    let address = address.trim();
    let top = if protocol == "modbus" { 247 } else { 250 };
    if !address.parse::<u8>().is_ok_and(|a| (1..=top).contains(&a)) {
        return Err(invalid(Msg::ColBusAddress, Problem::BadFormat));
    }
    if meters::address_taken(&db, c.company_id, bus.id, address, m.id).await? {
        return Err(invalid(Msg::ColBusAddress, Problem::AlreadyExists));
    }
    let password = password.trim();
    if password.chars().count() > 12 {
        return Err(invalid(Msg::Password, Problem::TooLong));
    }
    meters::set_device(
        &db,
        c.company_id,
        m.id,
        &meters::Device { communicator_id: Some(bus.id), protocol, address, password },
    )
    .await?;
    crate::storage::audit::create(
        &db,
        Some(c.company_id),
        Some(c.user_id),
        "device.save",
        &format!("meter {} ({}): {protocol} on «{}», address {address}", m.id, m.serial, bus.name),
        &c.ip,
    )
    .await
    .ok();
    Ok(())
}

/// Takes a meter off its line: the collector no longer reads it (its readings stay).
#[server(endpoint = "remove_device")]
pub async fn remove_device(object: i64, meter: i64) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::meter as meters;

    let (db, c) = authorize(Permission::EditData).await?;
    let m = meters::get(&db, c.company_id, meter).await?;
    if m.object_id != object {
        return Err(AppError::NotFound);
    }
    // the address stays on the card: it is how the meter is set, whatever reads it
    meters::set_device(
        &db,
        c.company_id,
        m.id,
        &meters::Device { communicator_id: None, protocol: "", address: &m.bus_address, password: "" },
    )
    .await?;
    crate::storage::audit::create(
        &db,
        Some(c.company_id),
        Some(c.user_id),
        "device.remove",
        &format!("meter {} ({})", m.id, m.serial),
        &c.ip,
    )
    .await
    .ok();
    Ok(())
}

/// «Не опрашиваются»: quiet meters of one building, or of every building when none is asked.
#[server(endpoint = "not_polled")]
pub async fn not_polled(object: Option<i64>, days: i64) -> Result<crate::models::not_polled::SilentList, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::not_polled::list(&db, &c, object, days).await
}

/// The terminal tab: the raw exchange of a meter's last poll.
#[server(endpoint = "poll_exchange")]
pub async fn poll_exchange(object: Option<i64>, meter: Option<i64>) -> Result<crate::models::polling::Terminal, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let chosen = crate::prefs::read_cookie(crate::components::layout::OBJECT_COOKIE)
        .and_then(|v| v.parse().ok());
    crate::queries::console::terminal(&db, &c, object, chosen, meter).await
}
