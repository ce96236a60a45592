//! «Мониторинг → Отклонения» (issue 23, point 5): the tiles of a building's common meters
//! against their rules, and the rules themselves.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::errors::AppError;
use crate::models::deviation::{DeviationPage, RuleForm};

/// A building's common meters with their tiles, by the page's address: `object`, `archive`
/// (`hour`, `day`) and `day` (`YYYY-MM-DD`; none: today); and the building's rules.
#[server(endpoint = "deviations")]
pub async fn deviations(query: String) -> Result<DeviationPage, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::monitoring::deviation::page(&db, &c, &query).await
}

/// Keeps a building's rules, all or none; answers how many are switched on.
#[server(endpoint = "save_deviation_rules", input = Json)]
pub async fn save_deviation_rules(object: i64, rules: Vec<RuleForm>) -> Result<usize, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::EditData).await?;
    crate::queries::monitoring::deviation::save(&db, &c, object, &rules).await
}
