//! The billing period's terms (issue 27): the days readings are taken on and the norms that
//! stand in for readings missing too long — for every city of the company, for a city apart,
//! and for a building apart. Everyone on the staff reads them; the company's administrator
//! changes the company's and the cities', whoever manages buildings a building's; the
//! journal keeps who and when.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::period::{BillingTerms, ObjectNormsView};

#[server(endpoint = "period_terms")]
pub async fn period_terms() -> Result<BillingTerms, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::period::NormRow;
    use crate::models::{format, Permission, Resource};
    use crate::storage::norm::{self, Scope};
    use crate::storage::{billing_window, city};

    let (db, c) = authorize(Permission::ViewCompany).await?;
    let stored = norm::list_for_company(&db, norm::Kind::Consumption, c.company_id).await?;
    let row = |city_id: i64, city: String| {
        let scope = if city_id == 0 { Scope::Company } else { Scope::City(city_id) };
        let values = Resource::ALL
            .iter()
            .map(|r| {
                let v = stored.iter().find(|n| n.scope == scope && n.resource == *r);
                (*r, v.map(|n| format::decimal(n.value.normalize())).unwrap_or_default())
            })
            .collect();
        NormRow { city_id, city, values }
    };
    let mut norms = vec![row(0, String::new())];
    for ct in city::list_for_company(&db, c.company_id).await? {
        norms.push(row(ct.id, ct.name));
    }
    Ok(BillingTerms {
        window: billing_window::get(&db, c.company_id).await?,
        norms,
        editable: c.role.allows(Permission::ManageCompany),
    })
}

/// The window's days and the norms (`norms[city<id>_<resource>]`, city 0 for every city; an
/// empty one removes it), all checked before anything is stored: a refused form changes
/// nothing.
#[server(endpoint = "save_period_terms")]
pub async fn save_period_terms(
    first_day: String,
    last_day: String,
    #[server(default)] norms: HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::period::{parse_norm, parse_norm_field, BillingWindow};
    use crate::models::Permission;
    use crate::storage::norm::{self, Scope};
    use crate::storage::{audit, billing_window, city};

    let (db, c) = authorize(Permission::ManageCompany).await?;
    let day = |s: &str| s.trim().parse::<u32>().ok();
    let window = match (day(&first_day), day(&last_day)) {
        (Some(f), Some(l)) => BillingWindow::new(f, l),
        _ => None,
    }
    .ok_or(AppError::invalid(Msg::PeriodWindowTitle, Problem::OutOfBounds))?;
    let cities: Vec<i64> = city::list_for_company(&db, c.company_id).await?.into_iter().map(|c| c.id).collect();
    let mut parsed = Vec::new();
    for (name, typed) in &norms {
        let bad = || AppError::invalid(Msg::NormsTitle, Problem::BadFormat);
        let (city_id, resource) = parse_norm_field(name).ok_or_else(bad)?;
        let scope = match city_id {
            0 => Scope::Company,
            id if cities.contains(&id) => Scope::City(id),
            _ => return Err(AppError::NotFound),
        };
        parsed.push((scope, resource, parse_norm(typed).map_err(|_| bad())?));
    }
    billing_window::set(&db, c.company_id, window).await?;
    for (scope, resource, value) in parsed {
        norm::set(&db, norm::Kind::Consumption, c.company_id, scope, resource, value).await?;
    }
    let what = format!("{}–{}", window.first_day, window.last_day);
    audit::create(&db, Some(c.company_id), Some(c.user_id), "save_period_terms", &what, &c.ip).await?;
    Ok(())
}

/// A building's own norms beside those that hold for it without them.
#[server(endpoint = "object_norms")]
pub async fn object_norms(object: i64) -> Result<ObjectNormsView, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::{format, Permission, Resource};
    use crate::storage::{norm, object as objects};

    let (db, c) = authorize(Permission::ViewObjects).await?;
    let o = objects::get(&db, c.company_id, object).await?;
    let own = norm::list_for_object(&db, norm::Kind::Consumption, c.company_id, o.id).await?;
    // what holds without the building's own: its city's, else the company's
    let inherited = norm::for_object(&db, norm::Kind::Consumption, c.company_id, o.city_id, 0).await?;
    let shown = |v: Option<rust_decimal::Decimal>| v.map(|v| format::decimal(v.normalize())).unwrap_or_default();
    Ok(ObjectNormsView {
        object_id: o.id,
        values: Resource::ALL
            .iter()
            .map(|r| {
                let mine = own.iter().find(|n| n.resource == *r).map(|n| n.value);
                (*r, shown(mine), shown(inherited.get(r).copied()))
            })
            .collect(),
        editable: c.role.allows(Permission::ManageObjects),
    })
}

/// A building's own norms (`norms[<resource>]`; empty: the city's or the company's hold).
#[server(endpoint = "save_object_norms")]
pub async fn save_object_norms(object: i64, #[server(default)] norms: HashMap<String, String>) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::period::parse_norm;
    use crate::models::{Permission, Resource};
    use crate::storage::norm::{self, Scope};
    use crate::storage::{audit, object as objects};

    let (db, c) = authorize(Permission::ManageObjects).await?;
    let o = objects::get(&db, c.company_id, object).await?;
    let mut parsed = Vec::new();
    for (name, typed) in &norms {
        let bad = || AppError::invalid(Msg::NormsTitle, Problem::BadFormat);
        let resource = Resource::parse(name).ok_or_else(bad)?;
        parsed.push((resource, parse_norm(typed).map_err(|_| bad())?));
    }
    for (resource, value) in parsed {
        norm::set(&db, norm::Kind::Consumption, c.company_id, Scope::Object(o.id), resource, value).await?;
    }
    audit::create(&db, Some(c.company_id), Some(c.user_id), "save_object_norms", &o.name, &c.ip).await?;
    Ok(())
}
