//! «Балансовые группы» (EK 4.6.5–4.6.6): a building's groups of a resource, each meter's
//! part in the chosen one (root, «+», «−», left out), groups of its own made and deleted,
//! and the building's own allowed imbalance. Changing them needs `ManageObjects`.

use std::collections::HashMap;

use crate::auth::caller::Caller;
use crate::balance::group;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::balance::{GroupMeter, GroupsView, Part, GROUP_NAME_MAX};
use crate::models::{format, Permission, Resource};
use crate::storage::balance_group;
use crate::storage::meter::Meter;
use crate::storage::norm::{self, Scope};
use crate::storage::{audit, meter, object, premise, Db};

/// The meters a group may take: the current meter of each chain of the resource.
fn candidates(meters: &[Meter], resource: Resource) -> Vec<&Meter> {
    let replaced: std::collections::HashSet<i64> = meters.iter().filter_map(|m| m.replaces_meter_id).collect();
    meters.iter().filter(|m| m.resource == resource && !replaced.contains(&m.id)).collect()
}

/// The editor for a building, a resource (none: the first it has) and a group (none: the
/// building's own).
pub async fn view(db: &Db, caller: &Caller, object_id: i64, resource: Option<Resource>, group_id: Option<i64>) -> Result<GroupsView, AppError> {
    let o = object::get(db, caller.company_id, object_id).await?;
    let meters = meter::list_for_object(db, caller.company_id, o.id).await?;
    let resources = super::resources_of(&meters);
    let resource = super::resource_of(resource, &meters, &resources).unwrap_or(Resource::Electricity);
    let stored = balance_group::list(db, caller.company_id, o.id).await?;
    let chosen = super::group_of(&stored, group_id, resource)?;
    let listed = super::listed_of(db, &stored, chosen, resource).await?;
    let members: HashMap<i64, Part> = group::members(&meters, resource, chosen.is_none(), &listed)
        .into_iter()
        .map(|(m, p)| (m.id, p))
        .collect();
    let premises: HashMap<i64, String> = premise::list(db, caller.company_id, o.id).await?.into_iter().map(|p| (p.id, p.number)).collect();
    let own = norm::list_for_object(db, norm::Kind::Imbalance, caller.company_id, o.id).await?;
    let inherited = norm::for_object(db, norm::Kind::Imbalance, caller.company_id, o.city_id, 0).await?;
    let shown = |v: Option<rust_decimal::Decimal>| v.map(|v| format::decimal(v.normalize())).unwrap_or_default();
    Ok(GroupsView {
        object_id: o.id,
        object_name: o.name.clone(),
        objects: object::names(db, caller.company_id).await?,
        resource,
        resources,
        groups: super::choices(&stored, resource),
        group: chosen.map(|g| g.id),
        group_name: chosen.map(|g| g.name.clone()).unwrap_or_default(),
        meters: candidates(&meters, resource)
            .into_iter()
            .map(|m| GroupMeter {
                meter_id: m.id,
                serial: m.serial.clone(),
                place: super::place_of(m, &premises),
                common: m.placement == crate::models::Placement::Common,
                part: members.get(&m.id).copied(),
            })
            .collect(),
        own_norm: shown(own.iter().find(|n| n.resource == resource).map(|n| n.value)),
        inherited_norm: shown(inherited.get(&resource).copied()),
        editable: caller.role.allows(Permission::ManageObjects),
    })
}

/// What a person sent for a group: each meter's part (`m<id>` → `root`, `plus`, `minus`,
/// `excluded`, or empty: not in a group of its own), the group's name, and the building's
/// allowed imbalance for the resource («5», «2,5»; empty: the city's or the company's).
pub struct Change {
    pub object_id: i64,
    pub resource: Resource,
    pub group: Option<i64>,
    pub name: String,
    pub parts: HashMap<String, String>,
    pub norm: String,
}

/// Saves a group's meters and the building's allowed imbalance: all of it or, on a bad
/// field, nothing (422).
pub async fn save(db: &Db, caller: &Caller, change: Change) -> Result<(), AppError> {
    let o = object::get(db, caller.company_id, change.object_id).await?;
    let meters = meter::list_for_object(db, caller.company_id, o.id).await?;
    let stored = balance_group::list(db, caller.company_id, o.id).await?;
    let chosen = super::group_of(&stored, change.group, change.resource)?;
    if change.group.is_some() && chosen.is_none() {
        // a group of another resource: the form was not made for this one
        return Err(AppError::invalid(Msg::NpResource, Problem::BadFormat));
    }
    let allowed = crate::models::period::parse_norm(&change.norm)
        .ok()
        .filter(|v| v.is_none_or(|v| v <= rust_decimal::Decimal::from(100)))
        .ok_or(AppError::invalid(Msg::BalNorm, Problem::BadFormat))?;
    let name = change.name.trim();
    if chosen.is_some() {
        if name.is_empty() {
            return Err(AppError::invalid(Msg::BalGroupName, Problem::Required));
        }
        if name.chars().count() > GROUP_NAME_MAX {
            return Err(AppError::invalid(Msg::BalGroupName, Problem::TooLong));
        }
    }
    let candidates = candidates(&meters, change.resource);
    let mut parts: Vec<(&Meter, Option<Part>)> = Vec::new();
    for (key, value) in &change.parts {
        let id: Option<i64> = key.strip_prefix('m').and_then(|k| k.parse().ok());
        let m = id
            .and_then(|id| candidates.iter().find(|m| m.id == id))
            .ok_or(AppError::invalid(Msg::BalMeters, Problem::BadFormat))?;
        let part = match value.as_str() {
            "" if chosen.is_some() => None,
            v => Some(Part::parse(v).ok_or(AppError::invalid(Msg::BalMeters, Problem::BadFormat))?),
        };
        parts.push((m, part));
    }
    // the group as it will be: what was sent over what is there
    let listed = super::listed_of(db, &stored, chosen, change.resource).await?;
    let before: HashMap<i64, Part> = group::members(&meters, change.resource, chosen.is_none(), &listed)
        .into_iter()
        .map(|(m, p)| (m.id, p))
        .collect();
    let mut after: HashMap<i64, Option<Part>> = before.iter().map(|(m, p)| (*m, Some(*p))).collect();
    for (m, p) in &parts {
        after.insert(m.id, *p);
    }
    let counted = |want: &[Part]| after.values().flatten().any(|p| want.contains(p));
    if !counted(&[Part::Root]) {
        return Err(AppError::invalid(Msg::BalNeedsRoot, Problem::Required));
    }
    if !counted(&[Part::Plus, Part::Minus]) {
        return Err(AppError::invalid(Msg::BalNeedsChild, Problem::Required));
    }
    // the building's own group keeps only what differs from the placement's default
    let keep: Vec<(i64, Part)> = candidates
        .iter()
        .filter_map(|m| {
            let p = (*after.get(&m.id)?)?;
            (chosen.is_some() || p != group::default_part(m)).then_some((m.id, p))
        })
        .collect();
    let group_id = match chosen {
        Some(g) => g.id,
        None => balance_group::default_of(db, caller.company_id, o.id, change.resource).await?,
    };
    balance_group::save(db, group_id, chosen.map(|_| name), &keep).await?;
    norm::set(db, norm::Kind::Imbalance, caller.company_id, Scope::Object(o.id), change.resource, allowed).await?;
    let details = format!("object={}; resource={}; group={group_id}; meters={}", o.id, change.resource.as_str(), keep.len());
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "balance.group.save", &details, &caller.ip).await?;
    Ok(())
}

/// Makes a group of the building's own (empty: its meters are chosen next).
pub async fn create(db: &Db, caller: &Caller, object_id: i64, resource: Resource, name: &str) -> Result<i64, AppError> {
    let o = object::get(db, caller.company_id, object_id).await?;
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(Msg::BalGroupName, Problem::Required));
    }
    if name.chars().count() > GROUP_NAME_MAX {
        return Err(AppError::invalid(Msg::BalGroupName, Problem::TooLong));
    }
    let id = balance_group::create(db, caller.company_id, o.id, resource, name).await?;
    let details = format!("object={}; resource={}; group={id}; {name}", o.id, resource.as_str());
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "balance.group.create", &details, &caller.ip).await?;
    Ok(id)
}

/// Deletes a group of the building's own; the building's own group cannot be deleted, only
/// brought back to its default by saving it so.
pub async fn delete(db: &Db, caller: &Caller, id: i64) -> Result<(), AppError> {
    let g = balance_group::get(db, caller.company_id, id).await?;
    if g.is_default {
        return Err(AppError::NotFound);
    }
    balance_group::delete(db, caller.company_id, id).await?;
    let details = format!("object={}; group={id}; {}", g.object_id, g.name);
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "balance.group.delete", &details, &caller.ip).await?;
    Ok(())
}
