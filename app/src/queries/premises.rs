//! «Помещения дома» (issue 22, point 4): a building's premises listed with their accounts
//! and meters; a range of flats added in one transaction (numbers already there are left as
//! they were, so the same range twice adds nothing); one premise added, edited, or deleted
//! while nothing hangs on it. Every change is in the action log.

use std::collections::{HashMap, HashSet};

use crate::auth::caller::Caller;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::premises::{PlannedPremise, PremiseForm, PremiseRow, PremisesPage, RangeAdded, RangeForm};
use crate::models::Permission;
use crate::storage::premise::{self, Premise};
use crate::storage::{account, audit, object, Db};

fn planned(p: &Premise) -> PlannedPremise {
    PlannedPremise {
        number: p.number.clone(),
        kind: p.kind.clone(),
        entrance: p.entrance,
        floor: p.floor,
        area: p.area.clone(),
        residents: p.residents,
    }
}

/// A premise to store in the building.
fn stored(company_id: i64, object_id: i64, p: &PlannedPremise) -> Premise {
    Premise {
        company_id,
        object_id,
        number: p.number.clone(),
        kind: p.kind.clone(),
        entrance: p.entrance,
        floor: p.floor,
        area: p.area.clone(),
        residents: p.residents,
        ..Default::default()
    }
}

pub async fn page(db: &Db, caller: &Caller, object_id: i64) -> Result<PremisesPage, AppError> {
    let o = object::get(db, caller.company_id, object_id).await?;
    let mut accounts: HashMap<i64, Vec<String>> = HashMap::new();
    for a in account::list_for_object(db, caller.company_id, object_id).await? {
        accounts.entry(a.premise_id).or_default().push(a.number);
    }
    let meters = premise::meter_counts(db, caller.company_id, object_id).await?;
    let rows = premise::list(db, caller.company_id, object_id)
        .await?
        .into_iter()
        .map(|p| PremiseRow {
            id: p.id,
            accounts: accounts.remove(&p.id).unwrap_or_default(),
            meters: meters.get(&p.id).copied().unwrap_or(0),
            premise: planned(&p),
        })
        .collect();
    Ok(PremisesPage {
        object_id,
        object: o.name,
        floors: (o.floors > 0).then_some(o.floors),
        rows,
        editable: caller.role.allows(Permission::ManageObjects) && o.archived_at.is_none(),
    })
}

async fn editable_building(db: &Db, caller: &Caller, object_id: i64) -> Result<object::Object, AppError> {
    let o = object::get(db, caller.company_id, object_id).await?;
    if o.archived_at.is_some() {
        return Err(AppError::Forbidden);
    }
    Ok(o)
}

/// Adds the range's flats that are not there yet, all or none.
pub async fn add_range(db: &Db, caller: &Caller, object_id: i64, form: &RangeForm) -> Result<RangeAdded, AppError> {
    let plan = form.plan()?;
    let o = editable_building(db, caller, object_id).await?;
    let there: HashSet<String> = premise::list(db, caller.company_id, object_id).await?.into_iter().map(|p| p.number).collect();
    let new: Vec<&PlannedPremise> = plan.iter().filter(|p| !there.contains(&p.number)).collect();
    let mut tx = db.pool().begin().await.map_err(crate::storage::StorageError::from)?;
    for p in &new {
        premise::create_in(&mut *tx, &stored(caller.company_id, object_id, p)).await?;
    }
    tx.commit().await.map_err(crate::storage::StorageError::from)?;
    let added = RangeAdded { added: new.len(), existing: plan.len() - new.len() };
    if added.added > 0 {
        let details = format!("{}: кв. {}–{}, добавлено {}, уже были {}", o.name, form.from.trim(), form.to.trim(), added.added, added.existing);
        audit::create(db, Some(caller.company_id), Some(caller.user_id), "premise.range", &details, &caller.ip).await?;
    }
    Ok(added)
}

/// Adds one premise (`id` None) or changes premise `id` (its number stays: accounts and
/// files know it by it); answers its id.
pub async fn save(db: &Db, caller: &Caller, object_id: i64, id: Option<i64>, form: &PremiseForm) -> Result<i64, AppError> {
    let p = form.check()?;
    let o = editable_building(db, caller, object_id).await?;
    let Some(id) = id else {
        let taken = premise::list(db, caller.company_id, object_id).await?.iter().any(|x| x.number.to_lowercase() == p.number.to_lowercase());
        if taken {
            return Err(AppError::invalid(Msg::PrNumber, Problem::AlreadyExists));
        }
        let made = premise::create(db, &stored(caller.company_id, object_id, &p)).await?;
        audit::create(db, Some(caller.company_id), Some(caller.user_id), "premise.create", &format!("{}: «{}»", o.name, p.number), &caller.ip).await?;
        return Ok(made.id);
    };
    let was = premise::get(db, caller.company_id, id).await?;
    if was.object_id != object_id {
        return Err(AppError::NotFound);
    }
    let before = planned(&was);
    let now = PlannedPremise { number: was.number.clone(), ..p };
    premise::update_in(
        db.pool(),
        &Premise { kind: now.kind.clone(), entrance: now.entrance, floor: now.floor, area: now.area.clone(), residents: now.residents, ..was },
    )
    .await?;
    let changed = [
        ("тип", before.kind.clone(), now.kind.clone()),
        ("подъезд", shown(before.entrance), shown(now.entrance)),
        ("этаж", shown(before.floor), shown(now.floor)),
        ("площадь", before.area.clone(), now.area.clone()),
        ("проживает", before.residents.to_string(), now.residents.to_string()),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .map(|(t, a, b)| format!("{t}: {a} → {b}"))
    .collect::<Vec<_>>();
    let details = format!("{}: «{}»: {}", o.name, now.number, if changed.is_empty() { "без изменений".to_string() } else { changed.join("; ") });
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "premise.edit", &details, &caller.ip).await?;
    Ok(id)
}

/// A number the journal shows, «—» for none.
fn shown(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "—".into())
}

/// Deletes premise `id` of the building when no account, owner, resident or meter hangs on it.
pub async fn remove(db: &Db, caller: &Caller, object_id: i64, id: i64) -> Result<(), AppError> {
    let o = editable_building(db, caller, object_id).await?;
    let p = premise::get(db, caller.company_id, id).await?;
    if p.object_id != object_id {
        return Err(AppError::NotFound);
    }
    if premise::dependents(db, caller.company_id, id).await? > 0 {
        return Err(AppError::invalid(Msg::PrThis, Problem::HasDependents));
    }
    premise::delete(db, caller.company_id, id).await?;
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "premise.delete", &format!("{}: «{}»", o.name, p.number), &caller.ip).await?;
    Ok(())
}
