//! The dispatcher's first screen: how big the company is and how many meters are heard.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::views::SummaryView;

/// Meters not heard from for this many days count as silent on the home screen.
pub const SILENT_DAYS: i64 = 3;

#[server(endpoint = "home_summary")]
pub async fn home_summary() -> Result<SummaryView, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::{Permission, Placement, Resource};
    use crate::storage::{self, meter, object, premise};

    let (db, c) = authorize(Permission::ViewData).await?;
    let by_kind = meter::count_by_kind(&db, c.company_id, None).await?;
    let sum = |p: Placement| {
        by_kind
            .iter()
            .filter(|(pl, _, _)| *pl == p)
            .map(|(_, _, n)| n)
            .sum::<i64>()
    };
    let meters_by_resource = Resource::ALL
        .into_iter()
        .map(|r| {
            (
                r,
                by_kind
                    .iter()
                    .filter(|(_, res, _)| *res == r)
                    .map(|(_, _, n)| n)
                    .sum::<i64>(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let now = storage::now();
    let total = meter::get_count(&db, c.company_id).await?;
    Ok(SummaryView {
        objects: object::get_count(&db, c.company_id).await?,
        premises: premise::get_count(&db, c.company_id).await?,
        meters_individual: sum(Placement::Individual),
        meters_common: sum(Placement::Common),
        meters_by_resource,
        meters_heard_last_day: total - meter::count_silent(&db, c.company_id, now - 86_400).await?,
        silent_meters: meter::count_silent(&db, c.company_id, now - SILENT_DAYS * 86_400).await?,
        silent_days: SILENT_DAYS,
    })
}
