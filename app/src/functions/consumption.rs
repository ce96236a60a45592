//! «Потребление» (issue 24): a building's premises for a day or a month — every resource
//! (the registry) or one over the premises (absolute, specific, share).

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::consumption::Premises;

/// The page's address (`object`, `resource`, `by`, `day`, `month`); without a building, the
/// one chosen in the top bar. `registry`: every resource as a column, else the one asked.
#[server(endpoint = "premises_consumption")]
pub async fn premises_consumption(query: String, registry: bool) -> Result<Premises, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::queries::consumption::{premises, Columns};

    let (db, c) = authorize(Permission::ViewData).await?;
    let q = crate::models::balance::CompareQuery::from_pairs(query.split('&').filter_map(|p| p.split_once('=')));
    let chosen = crate::prefs::read_cookie(crate::components::layout::OBJECT_COOKIE).and_then(|v| v.parse::<i64>().ok());
    premises(&db, &c, q, chosen, if registry { Columns::All } else { Columns::One }).await
}
