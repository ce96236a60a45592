//! Who is calling the open API: the token in `Authorization: Bearer …`, looked up by its hash,
//! held to its pace, and every call it makes written to the company's action log with its
//! answer.

use app::auth::PeerIp;
use app::errors::AppError;
use app::i18n::Lang;
use app::models::api::ApiScope;
use app::storage::{api_token, audit};
use axum::extract::{OriginalUri, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::problem::{lang_of, Problem};
use super::ApiState;

/// The token behind a call, for the handlers.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub token: api_token::ActiveToken,
    pub lang: Lang,
}

impl ApiCaller {
    pub fn company_id(&self) -> i64 {
        self.token.company_id
    }

    /// Refuses a call the token's scope does not reach.
    pub fn need(&self, scope: ApiScope) -> Result<(), Problem> {
        if self.token.scope.allows(scope) {
            Ok(())
        } else {
            Err(Problem::read_only(self.lang))
        }
    }
}

/// What a handler adds to its action log line (how many readings were stored…).
#[derive(Clone, Debug)]
pub struct Note(pub String);

/// The longest token a header may carry; anything longer is not one of ours.
const MAX_TOKEN_CHARS: usize = 200;
/// The longest address written to the log.
const MAX_TARGET_CHARS: usize = 300;

fn bearer(req: &Request) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= MAX_TOKEN_CHARS).then_some(token)
}

pub async fn require_token(State(state): State<ApiState>, mut req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let Some(secret) = bearer(&req) else {
        return Problem::unauthorized(lang).into_response();
    };
    let token = match api_token::find_active(&state.db, &app::auth::api_token::hash(secret)).await {
        Ok(Some(t)) => t,
        Ok(None) => return Problem::unauthorized(lang).into_response(),
        Err(e) => return Problem::of(&AppError::from(e), lang).into_response(),
    };
    if let Err(wait) = state.limits.take(token.id) {
        return Problem::too_many(lang, wait).into_response();
    }
    let ip = req.extensions().get::<PeerIp>().map(|p| p.0.clone()).unwrap_or_default();
    let action = if matches!(*req.method(), Method::GET | Method::HEAD) { "api.read" } else { "api.write" };
    let method = req.method().to_string();
    // the address as the client wrote it, `/api/v1/…` (the nested router sees it stripped)
    let uri = req.extensions().get::<OriginalUri>().map(|o| o.0.clone()).unwrap_or_else(|| req.uri().clone());
    let target: String = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("")
        .chars()
        .take(MAX_TARGET_CHARS)
        .collect();
    let (company_id, name) = (token.company_id, token.name.clone());
    req.extensions_mut().insert(ApiCaller { token, lang });
    let mut response = next.run(req).await;
    let note = response.extensions_mut().remove::<Note>().map(|n| format!(": {}", n.0)).unwrap_or_default();
    let details = format!("«{name}» {method} {target} → {}{note}", response.status().as_u16());
    if let Err(e) = audit::create(&state.db, Some(company_id), None, action, &details, &ip).await {
        tracing::warn!(error = %e, "an API call could not be written to the action log");
    }
    response
}
