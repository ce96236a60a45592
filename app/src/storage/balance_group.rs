//! Balance groups (issue 24): a building's meters of one resource counted as a root or a
//! child with a sign. The building's own group of a resource needs no row until a person
//! changes it; then its row (`is_default`) holds only the changes, so meters that come
//! later still join it by their placement.

use sqlx::Row;

use super::{now, Db, Result, StorageError};
use crate::models::balance::Part;
use crate::models::Resource;

/// A stored group.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub id: i64,
    pub company_id: i64,
    pub object_id: i64,
    pub resource: Resource,
    pub name: String,
    /// The building's own group of the resource (its rows are changes, not the whole list).
    pub is_default: bool,
}

fn group_of(r: &sqlx::any::AnyRow) -> Result<Group> {
    let resource: String = r.try_get("resource")?;
    let is_default: i64 = r.try_get("is_default")?;
    Ok(Group {
        id: r.try_get("id")?,
        company_id: r.try_get("company_id")?,
        object_id: r.try_get("object_id")?,
        resource: Resource::parse(&resource).ok_or(StorageError::BadValue("balance_groups.resource"))?,
        name: r.try_get("name")?,
        is_default: is_default != 0,
    })
}

/// A building's stored groups, the building's own first, then by name.
pub async fn list(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<Group>> {
    let rows = sqlx::query(
        "SELECT id, company_id, object_id, resource, name, is_default FROM balance_groups
         WHERE company_id = $1 AND object_id = $2 ORDER BY resource, is_default DESC, name, id",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(group_of).collect()
}

/// One group of the company; another company's is not found.
pub async fn get(db: &Db, company_id: i64, id: i64) -> Result<Group> {
    let row = sqlx::query("SELECT id, company_id, object_id, resource, name, is_default FROM balance_groups WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(StorageError::NotFound)?;
    group_of(&row)
}

/// A group of a building's own (not its default one).
pub async fn create(db: &Db, company_id: i64, object_id: i64, resource: Resource, name: &str) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO balance_groups (company_id, object_id, resource, name, is_default, created_at)
         VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
    )
    .bind(company_id)
    .bind(object_id)
    .bind(resource.as_str())
    .bind(name)
    .bind(now())
    .fetch_one(db.pool())
    .await?;
    Ok(id)
}

/// The row of a building's own group of a resource, made on its first change.
pub async fn default_of(db: &Db, company_id: i64, object_id: i64, resource: Resource) -> Result<i64> {
    sqlx::query(
        "INSERT INTO balance_groups (company_id, object_id, resource, name, is_default, created_at)
         VALUES ($1, $2, $3, '', 1, $4) ON CONFLICT DO NOTHING",
    )
    .bind(company_id)
    .bind(object_id)
    .bind(resource.as_str())
    .bind(now())
    .execute(db.pool())
    .await?;
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM balance_groups WHERE company_id = $1 AND object_id = $2 AND resource = $3 AND is_default = 1",
    )
    .bind(company_id)
    .bind(object_id)
    .bind(resource.as_str())
    .fetch_one(db.pool())
    .await?;
    Ok(id)
}

/// The meters listed in groups: (group, meter, how it takes part).
pub async fn members(db: &Db, group_ids: &[i64]) -> Result<Vec<(i64, i64, Part)>> {
    if group_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(&format!(
        "SELECT group_id, meter_id, role, sign FROM balance_group_meters WHERE group_id IN ({}) ORDER BY group_id, meter_id",
        super::id_list(group_ids)
    ))
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(g, m, role, sign)| {
            Part::of_role_sign(&role, sign)
                .map(|p| (g, m, p))
                .ok_or(StorageError::BadValue("balance_group_meters.role"))
        })
        .collect()
}

/// Replaces a group's listed meters (and, for a group of its own, its name) in one step.
pub async fn save(db: &Db, group_id: i64, name: Option<&str>, listed: &[(i64, Part)]) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    if let Some(name) = name {
        sqlx::query("UPDATE balance_groups SET name = $2 WHERE id = $1")
            .bind(group_id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM balance_group_meters WHERE group_id = $1")
        .bind(group_id)
        .execute(&mut *tx)
        .await?;
    for (meter_id, part) in listed {
        let (role, sign) = part.role_sign();
        sqlx::query("INSERT INTO balance_group_meters (group_id, meter_id, role, sign) VALUES ($1, $2, $3, $4)")
            .bind(group_id)
            .bind(meter_id)
            .bind(role)
            .bind(sign)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes a group of the company with its list.
pub async fn delete(db: &Db, company_id: i64, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM balance_groups WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(db.pool())
        .await?;
    if done.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// The buildings whose own group of a resource was changed by a person: their balance is
/// counted meter by meter, the others' from the buildings' sums.
pub async fn changed_defaults(db: &Db, company_id: i64, resource: Resource) -> Result<Vec<i64>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT g.object_id FROM balance_groups g JOIN balance_group_meters m ON m.group_id = g.id
         WHERE g.company_id = $1 AND g.resource = $2 AND g.is_default = 1",
    )
    .bind(company_id)
    .bind(resource.as_str())
    .fetch_all(db.pool())
    .await?;
    Ok(ids)
}
