//! Balance (issue 24): a building's balance group by day or month, and its balance groups
//! edited (root, «+», «−», left out) with the building's allowed imbalance.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::balance::{Balance, Comparison, GroupsView};

/// The balance the page's address asks for (`object`, `resource`, `group`, `by`, `period`);
/// without a building, the one chosen in the top bar.
#[server(endpoint = "group_balance")]
pub async fn group_balance(query: String) -> Result<Balance, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let q = crate::models::balance::BalanceQuery::from_pairs(query.split('&').filter_map(|p| p.split_once('=')));
    let chosen = crate::prefs::read_cookie(crate::components::layout::OBJECT_COOKIE).and_then(|v| v.parse::<i64>().ok());
    crate::queries::balance::page::balance(&db, &c, q, chosen).await
}

/// A building's groups of a resource (empty: the first it has) and the meters of one group
/// (none: the building's own).
#[server(endpoint = "balance_groups")]
pub async fn balance_groups(object: i64, #[server(default)] resource: String, group: Option<i64>) -> Result<GroupsView, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::{Permission, Resource};

    let (db, c) = authorize(Permission::ViewObjects).await?;
    crate::queries::balance::groups::view(&db, &c, object, Resource::parse(&resource), group).await
}

/// Saves a group: each meter's part (`parts[m<id>]`), its name (a group of its own) and the
/// building's allowed imbalance for the resource.
#[server(endpoint = "save_balance_group")]
pub async fn save_balance_group(
    object: i64,
    resource: String,
    group: Option<i64>,
    #[server(default)] name: String,
    #[server(default)] parts: HashMap<String, String>,
    #[server(default)] norm: String,
) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::{Permission, Resource};
    use crate::queries::balance::groups::{save, Change};

    let (db, c) = authorize(Permission::ManageObjects).await?;
    let resource = Resource::parse(&resource).ok_or(AppError::invalid(Msg::NpResource, Problem::BadFormat))?;
    save(&db, &c, Change { object_id: object, resource, group, name, parts, norm }).await
}

/// Makes a group of the building's own; answers its id.
#[server(endpoint = "create_balance_group")]
pub async fn create_balance_group(object: i64, resource: String, #[server(default)] name: String) -> Result<i64, AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::{Permission, Resource};

    let (db, c) = authorize(Permission::ManageObjects).await?;
    let resource = Resource::parse(&resource).ok_or(AppError::invalid(Msg::NpResource, Problem::BadFormat))?;
    crate::queries::balance::groups::create(&db, &c, object, resource, &name).await
}

/// Deletes a group of the building's own.
#[server(endpoint = "delete_balance_group")]
pub async fn delete_balance_group(id: i64) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ManageObjects).await?;
    crate::queries::balance::groups::delete(&db, &c, id).await
}

/// «Сравнение объектов» by the page's address (`resource`, `by`, `day`, `month`).
#[server(endpoint = "objects_compared")]
pub async fn objects_compared(query: String) -> Result<Comparison, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let q = crate::models::balance::CompareQuery::from_pairs(query.split('&').filter_map(|p| p.split_once('=')));
    crate::queries::balance::compare::compare(&db, &c, q).await
}
