//! The open API's tokens, managed by the company's administrator in «Настройки → Доступ по API».

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::api::{ApiTokenRow, NewApiToken};

/// The company's tokens, the working ones first.
#[server(endpoint = "api_tokens")]
pub async fn api_tokens() -> Result<Vec<ApiTokenRow>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ManageCompany).await?;
    Ok(crate::storage::api_token::list(&db, c.company_id).await?)
}

/// Makes a token; the answer carries the whole token, shown once and kept nowhere.
#[server(endpoint = "create_api_token")]
pub async fn create_api_token(name: String, scope: String) -> Result<NewApiToken, AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::api::ApiScope;
    use crate::models::Permission;
    use crate::storage::audit;

    let (db, c) = authorize(Permission::ManageCompany).await?;
    let scope = ApiScope::parse(&scope).ok_or_else(|| AppError::invalid(Msg::ApiScope, Problem::BadFormat))?;
    let made = crate::auth::api_token::issue(&db, c.company_id, &name, scope, Some(c.user_id)).await?;
    let details = format!("«{}», {}", made.row.name, scope.as_str());
    audit::create(&db, Some(c.company_id), Some(c.user_id), "api_token.create", &details, &c.ip).await?;
    Ok(made)
}

/// Stops a token for good.
#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{api_token, audit};

    let (db, c) = authorize(Permission::ManageCompany).await?;
    let token = api_token::get(&db, c.company_id, id).await?;
    if token.revoked_at.is_none() {
        api_token::revoke(&db, c.company_id, id).await?;
        let details = format!("«{}»", token.name);
        audit::create(&db, Some(c.company_id), Some(c.user_id), "api_token.revoke", &details, &c.ip).await?;
    }
    Ok(())
}
