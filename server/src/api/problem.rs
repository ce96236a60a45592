//! Errors of the open API as RFC 9457 problem details (`application/problem+json`): a stable
//! `type` a program branches on, a `title` and `detail` a person reads — in Russian, or in
//! English when the request's `Accept-Language` puts English first.

use app::errors::AppError;
use app::i18n::Lang;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// One problem, as the API answers it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:uchet:problem:…`).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Seconds to wait before asking again (too many requests).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// The language of the answer: English when the client asks for it before Russian.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let asked = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let first = asked.split(',').next().unwrap_or("").trim().to_ascii_lowercase();
    if first.starts_with("en") {
        Lang::En
    } else {
        Lang::Ru
    }
}

fn words(lang: Lang, ru: &str, en: &str) -> String {
    if lang == Lang::En { en } else { ru }.to_string()
}

impl Problem {
    fn new(status: StatusCode, slug: &str, title: String, detail: Option<String>) -> Problem {
        Problem {
            kind: format!("urn:uchet:problem:{slug}"),
            title,
            status: status.as_u16(),
            detail,
            retry_after: None,
        }
    }

    /// No token, a token not known, or a revoked one: the same answer for all three.
    pub fn unauthorized(lang: Lang) -> Problem {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            words(lang, "Нужен действующий токен API", "A valid API token is required"),
            Some(words(
                lang,
                "Передайте токен в заголовке «Authorization: Bearer …»; токены создаёт администратор в «Настройки → Доступ по API».",
                "Send the token as «Authorization: Bearer …»; an administrator makes tokens in Settings → API access.",
            )),
        )
    }

    /// A read token asked to write.
    pub fn read_only(lang: Lang) -> Problem {
        Problem::new(
            StatusCode::FORBIDDEN,
            "read-only-token",
            words(lang, "Токен только для чтения", "The token may only read"),
            Some(words(
                lang,
                "Для передачи показаний нужен токен с правами «чтение и передача показаний».",
                "Posting readings needs a token with the «read and post readings» scope.",
            )),
        )
    }

    pub fn too_many(lang: Lang, wait_seconds: u64) -> Problem {
        let mut p = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-requests",
            words(lang, "Слишком много запросов", "Too many requests"),
            Some(if lang == Lang::En {
                format!("This token's request limit is reached; ask again in {wait_seconds} s.")
            } else {
                format!("Достигнут предел запросов этого токена; повторите через {wait_seconds} с.")
            }),
        );
        p.retry_after = Some(wait_seconds);
        p
    }

    /// A request the API cannot read: a parameter of the wrong form, a body that is not the
    /// JSON described.
    pub fn bad_request(lang: Lang, detail: String) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            words(lang, "Запрос не разобран", "The request could not be read"),
            Some(detail),
        )
    }

    /// A request understood but not allowed as it stands (too many readings in one call…).
    pub fn unprocessable(lang: Lang, detail: String) -> Problem {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            words(lang, "Неверные данные", "Invalid data"),
            Some(detail),
        )
    }

    pub fn not_found(lang: Lang) -> Problem {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            AppError::NotFound.text(lang),
            None,
        )
    }

    /// An application error with its own status and words.
    pub fn of(e: &AppError, lang: Lang) -> Problem {
        let status = e.status_code();
        let slug = match e {
            AppError::NotFound => "not-found",
            AppError::Forbidden => "forbidden",
            AppError::Invalid { .. } => "invalid",
            AppError::Busy | AppError::Unavailable => "unavailable",
            AppError::Internal => "internal",
            _ => "error",
        };
        let title = match status {
            StatusCode::UNPROCESSABLE_ENTITY => words(lang, "Неверные данные", "Invalid data"),
            _ => e.text(lang),
        };
        let detail = matches!(e, AppError::Invalid { .. }).then(|| e.text(lang));
        Problem::new(status, slug, title, detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(wait) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(wait));
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_english_only_when_english_comes_first() {
        let mut h = HeaderMap::new();
        assert_eq!(lang_of(&h), Lang::Ru);
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en-US,en;q=0.9,ru;q=0.8"));
        assert_eq!(lang_of(&h), Lang::En);
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("ru-RU,ru;q=0.9,en;q=0.8"));
        assert_eq!(lang_of(&h), Lang::Ru);
    }

    #[test]
    fn a_problem_says_its_kind_and_status_and_how_long_to_wait() {
        let p = Problem::too_many(Lang::Ru, 3);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["type"], "urn:uchet:problem:too-many-requests");
        assert_eq!(json["status"], 429);
        assert_eq!(json["retry_after"], 3);
        let res = p.into_response();
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/problem+json");
        assert_eq!(res.headers()[header::RETRY_AFTER], "3");
    }
}
