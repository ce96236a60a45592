//! The billing period's terms (issue 27): the days readings are taken on and the norms that
//! stand in for readings missing too long. Everyone on the staff reads them; the company's
//! administrator changes them, and the journal keeps who and when.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::period::BillingTerms;

#[server(endpoint = "period_terms")]
pub async fn period_terms() -> Result<BillingTerms, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::{format, Permission, Resource};
    use crate::storage::{billing_window, norm};

    let (db, c) = authorize(Permission::ViewCompany).await?;
    let norms = norm::for_object(&db, c.company_id, 0).await?;
    Ok(BillingTerms {
        window: billing_window::get(&db, c.company_id).await?,
        norms: Resource::ALL
            .iter()
            .map(|r| (*r, norms.get(r).map(|v| format::decimal(v.normalize())).unwrap_or_default()))
            .collect(),
        editable: c.role.allows(Permission::ManageCompany),
    })
}

/// The window's days and a norm per resource (`norms[electricity]`…; empty removes one),
/// checked before anything is stored: a refused form changes nothing.
#[server(endpoint = "save_period_terms")]
pub async fn save_period_terms(
    first_day: String,
    last_day: String,
    norms: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::period::BillingWindow;
    use crate::models::{Permission, Resource};
    use crate::storage::{audit, billing_window, norm};

    let (db, c) = authorize(Permission::ManageCompany).await?;
    let day = |s: &str| s.trim().parse::<u32>().ok();
    let window = match (day(&first_day), day(&last_day)) {
        (Some(f), Some(l)) => BillingWindow::new(f, l),
        _ => None,
    }
    .ok_or(AppError::invalid(Msg::PeriodWindowTitle, Problem::OutOfBounds))?;
    let mut parsed = Vec::new();
    for r in Resource::ALL {
        let typed = norms.get(r.as_str()).map(|s| s.trim()).unwrap_or_default();
        let value = if typed.is_empty() {
            None
        } else {
            let plain: String = typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace(',', ".");
            let v = <rust_decimal::Decimal as std::str::FromStr>::from_str(&plain)
                .ok()
                .filter(|v| !v.is_sign_negative() && v.scale() <= 6)
                .ok_or(AppError::invalid(Msg::NormsTitle, Problem::BadFormat))?;
            Some(v)
        };
        parsed.push((r, value));
    }
    billing_window::set(&db, c.company_id, window).await?;
    for (r, v) in parsed {
        norm::set(&db, c.company_id, 0, r, v).await?;
    }
    let what = format!("{}–{}", window.first_day, window.last_day);
    audit::create(&db, Some(c.company_id), Some(c.user_id), "save_period_terms", &what, &c.ip).await?;
    Ok(())
}
