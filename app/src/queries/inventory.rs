//! «Приборы учёта»: the inventory a filter asks for — for the page (its first
//! [`INVENTORY_PAGE`] meters) and for its files (every meter) alike.

use crate::auth::caller::Caller;
use crate::errors::AppError;
use crate::models::inventory::{Due, Inventory, InventoryQuery, InventoryRow, LineKind, INVENTORY_PAGE};
use crate::models::text::natural_key;
use crate::models::{Placement, Resource};
use crate::storage::inventory::{self, Filter, Listed};
use crate::storage::{object, Db};

/// How many rows a caller wants: the page's share or every one (a file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    Page,
    All,
}

pub async fn inventory(db: &Db, caller: &Caller, q: InventoryQuery, rows: Rows) -> Result<Inventory, AppError> {
    if let Some(id) = q.object {
        object::get(db, caller.company_id, id).await?;
    }
    let objects = object::list(db, caller.company_id)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let today = super::verification::today();
    let filter = Filter {
        object_id: q.object,
        placement: q.placement.map(|p| p.as_str().to_string()),
        resource: q.resource.map(|r| r.as_str().to_string()),
        line: q.line.map(|l| l.as_str().to_string()),
        state: q.state.map(|s| s.as_str().to_string()),
        due_in: q.due.and_then(|d| d.span(today)),
        due_unknown: q.due == Some(Due::Unknown),
    };
    let mut found: Vec<InventoryRow> = inventory::list(db, caller.company_id, &filter)
        .await?
        .into_iter()
        .map(row)
        .filter(|r| q.finds(r))
        .collect();
    // flats as people count them (2 before 10); a building's common meters first
    found.sort_by(|a, b| {
        let key = |r: &InventoryRow| (r.placement == Placement::Individual, natural_key(&r.premise), r.resource.as_str());
        (&a.object, key(a)).cmp(&(&b.object, key(b)))
    });
    let by_resource = Resource::ALL
        .into_iter()
        .map(|res| (res, found.iter().filter(|r| r.resource == res).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let overdue = found.iter().filter(|r| r.overdue(today)).count();
    let matched = found.len();
    if rows == Rows::Page {
        found.truncate(INVENTORY_PAGE);
    }
    let editable = caller.role.allows(crate::models::Permission::ServiceMeters);
    Ok(Inventory { query: q, objects, today, matched, by_resource, overdue, rows: found, editable })
}

fn row(l: Listed) -> InventoryRow {
    let m = l.meter;
    let tz: chrono_tz::Tz = l.time_zone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let (line, communicator) = match l.line {
        Some((kind, name)) => (LineKind::parse(&kind).unwrap_or(LineKind::None), name),
        None => (LineKind::None, String::new()),
    };
    InventoryRow {
        meter_id: m.id,
        object: l.object_name,
        premise: match m.placement {
            Placement::Individual => l.premise.unwrap_or_default(),
            Placement::Common => String::new(),
        },
        placement: m.placement,
        resource: m.resource,
        model: m.model,
        serial: m.serial,
        barcode: m.barcode,
        tariffs: m.tariffs,
        capacity: m.capacity.label(),
        multiplier: m.multiplier,
        line,
        communicator,
        bus_address: m.bus_address,
        state: m.state,
        installed_on: m.installed_on,
        verified_on: m.verified_on,
        next_verification_on: m.next_verification_on,
        last_contact: m.last_contact_at.map(|t| super::local_time(tz, t)).unwrap_or_default(),
    }
}
