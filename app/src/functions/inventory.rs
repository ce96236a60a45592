//! «Приборы учёта» (F29): the company's meter inventory, for whoever looks after meters.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::inventory::Inventory;

/// The page's address (`object`, `placement`, `resource`, `line`, `state`, `due`, `q`): its
/// first meters and how many the filters leave.
#[server(endpoint = "meter_inventory")]
pub async fn meter_inventory(query: String) -> Result<Inventory, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::inventory::InventoryQuery;
    use crate::models::Permission;
    use crate::queries::inventory::{inventory, Rows};

    let (db, c) = authorize(Permission::ViewObjects).await?;
    let pairs = crate::models::format::query_pairs(&query);
    let q = InventoryQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    inventory(&db, &c, q, Rows::Page).await
}
