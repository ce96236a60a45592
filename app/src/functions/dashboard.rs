//! The dispatcher's home: consumption per resource and tariff over a month, a year or a date.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::dashboard::{Dashboard, Span};

/// The dashboard of the caller's company, or of one building (the top bar's choice); `date`
/// picks the period (today's when empty).
#[server(endpoint = "dashboard")]
pub async fn get_dashboard(
    span: Span,
    date: Option<NaiveDate>,
    #[server(default)] object: Option<i64>,
) -> Result<Dashboard, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::dashboard::dashboard(&db, &c, span, date, object).await
}
