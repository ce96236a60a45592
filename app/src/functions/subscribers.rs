//! «Абоненты и потребление» (F9): the accounts of a building with their month's
//! consumption, and one account's card.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::subscribers::{AccountView, SubscribersPage, SubscribersQuery};

/// One page of a building's accounts with the month's consumption and the totals.
#[server(endpoint = "subscribers")]
pub async fn subscribers(query: SubscribersQuery) -> Result<SubscribersPage, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::subscribers::list(&db, &c, &query).await
}

/// One personal account of the company: its premise and meters, the month's consumption.
#[server(endpoint = "account_card")]
pub async fn account_card(account: String, month: Option<NaiveDate>) -> Result<AccountView, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::subscribers::account_card(&db, &c, &account, month).await
}
