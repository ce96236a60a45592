//! Balance (issue 24): the balance page of a building's group and the group editor.

pub mod compare;
pub mod groups;
pub mod page;

use crate::models::balance::GroupChoice;
use crate::models::Resource;
use crate::storage::balance_group::Group;
use crate::storage::meter::Meter;

/// The building's resources that have meters, in the order pages list resources.
fn resources_of(meters: &[Meter]) -> Vec<Resource> {
    Resource::ALL.into_iter().filter(|r| meters.iter().any(|m| m.resource == *r)).collect()
}

/// The resource a page means: the asked one if the building has it, else the first that
/// has a common meter, else the first it has.
fn resource_of(asked: Option<Resource>, meters: &[Meter], resources: &[Resource]) -> Option<Resource> {
    asked
        .filter(|r| resources.contains(r))
        .or_else(|| {
            resources
                .iter()
                .copied()
                .find(|r| meters.iter().any(|m| m.resource == *r && m.placement == crate::models::Placement::Common))
        })
        .or_else(|| resources.first().copied())
}

/// The groups to choose for a resource: the building's own first (its name is the page's
/// words, so it is left empty here).
fn choices(groups: &[Group], resource: Resource) -> Vec<GroupChoice> {
    let mut out = vec![GroupChoice { id: None, name: String::new(), resource }];
    out.extend(
        groups
            .iter()
            .filter(|g| g.resource == resource && !g.is_default)
            .map(|g| GroupChoice { id: Some(g.id), name: g.name.clone(), resource }),
    );
    out
}

/// The group a query means among the building's: `None` for its own group of `resource`.
/// A group of another building or company is not found; one of another resource falls back
/// to the building's own (the resource was switched).
fn group_of(groups: &[Group], asked: Option<i64>, resource: Resource) -> Result<Option<&Group>, crate::errors::AppError> {
    match asked {
        None => Ok(None),
        Some(id) => match groups.iter().find(|g| g.id == id) {
            None => Err(crate::errors::AppError::NotFound),
            Some(g) if g.resource != resource || g.is_default => Ok(None),
            Some(g) => Ok(Some(g)),
        },
    }
}

/// What is stored for the chosen group (the building's own: its changes, if any).
async fn listed_of(
    db: &crate::storage::Db,
    stored: &[Group],
    chosen: Option<&Group>,
    resource: Resource,
) -> Result<Vec<(i64, crate::models::balance::Part)>, crate::errors::AppError> {
    let id = match chosen {
        Some(g) => Some(g.id),
        None => stored.iter().find(|g| g.is_default && g.resource == resource).map(|g| g.id),
    };
    Ok(match id {
        Some(id) => crate::storage::balance_group::members(db, &[id]).await?.into_iter().map(|(_, m, p)| (m, p)).collect(),
        None => Vec::new(),
    })
}

/// Where a meter is: «кв. 12», or «ОДПУ».
fn place_of(m: &Meter, premises: &std::collections::HashMap<i64, String>) -> String {
    super::place(m.placement.as_str(), m.premise_id.and_then(|p| premises.get(&p)).map(String::as_str))
}
