//! «Отчёты» (F38): a report for a building (or all) and a month, for whoever sees data.
//! Its files come from `/export/report.{xlsx,pdf,csv}` with the same query.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::reports::Report;

/// The report the page's address asks for (`kind`, `object`, `month` as the address holds
/// them), its words in the page's language.
#[server(endpoint = "report")]
pub async fn make_report(query: String, lang: String) -> Result<Report, AppError> {
    use crate::auth::caller::authorize;
    use crate::i18n::Lang;
    use crate::models::reports::ReportQuery;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let q = ReportQuery::from_pairs(query.split('&').filter_map(|p| p.split_once('=')));
    crate::queries::reports::make(&db, &c, &q, Lang::parse(&lang)).await
}
