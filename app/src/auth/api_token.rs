//! Making an API token: the settings page and `server api-token create` both come here, so a
//! token made either way looks and works the same.

use super::token;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::api::{ApiScope, NewApiToken, MAX_NAME_CHARS};
use crate::storage::{api_token, Db};

/// What every token starts with: a leaked one is recognisable in a log or a repository.
pub const TOKEN_PREFIX: &str = "uchet_";
/// Characters of the token the list shows.
const HINT_CHARS: usize = TOKEN_PREFIX.len() + 6;

/// The token a request's `Authorization: Bearer …` header shows, as the table keeps it.
pub fn hash(token: &str) -> String {
    token::hash(token)
}

/// Makes a token for the company, keeps its hash and returns it whole, this once.
pub async fn issue(
    db: &Db,
    company_id: i64,
    name: &str,
    scope: ApiScope,
    created_by: Option<i64>,
) -> Result<NewApiToken, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(Msg::ApiTokenName, Problem::Required));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid(Msg::ApiTokenName, Problem::TooLong));
    }
    let secret = format!("{TOKEN_PREFIX}{}", token::new_token());
    let hint: String = secret.chars().take(HINT_CHARS).collect();
    let id = api_token::create(db, company_id, name, scope, &hash(&secret), &hint, created_by).await?;
    Ok(NewApiToken {
        row: api_token::get(db, company_id, id).await?,
        token: secret,
    })
}
