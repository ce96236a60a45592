//! «Поверка» (F31): the verification calendar, for whoever services meters.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::verification::DueCalendar;

/// The calendar of a period (the current month when none is given); with `overdue`, every
/// meter whose verification has lapsed instead of the period's.
#[server(endpoint = "verification_calendar")]
pub async fn verification_calendar(
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    object: Option<i64>,
    #[server(default)] overdue: bool,
) -> Result<DueCalendar, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::verification::Period;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ServiceMeters).await?;
    let period = match year {
        Some(year) => Period { year, month, day },
        None => Period::month_of(crate::queries::verification::today()),
    };
    crate::queries::verification::calendar(&db, &c, period, object, overdue).await
}
