//! Server functions answer with their error's own HTTP status. Leptos sends every server
//! function error as 500; this puts the status `AppError::status_code` names on it (401 a
//! wrong password, 403, 404, 409, 422, 429…), so the access log, `/metrics` and the trace
//! layer count only the server's own faults as 5xx and log only those at ERROR. The body,
//! the error as JSON, is passed on unchanged: the browser decodes any 4xx/5xx body alike.

use app::errors::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// An error body is a few hundred bytes; anything larger is not one of ours.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn from_error(req: Request, next: Next) -> Response {
    // the open API (`/api/v1/…`) answers problem+json with its own statuses already
    let path = req.uri().path();
    let is_server_fn = path.starts_with("/api/") && !path.starts_with("/api/v1/");
    let response = next.run(req).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_ERROR_BODY).await {
        Ok(b) => b,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    let status = match serde_json::from_slice::<AppError>(&bytes) {
        Ok(e) => status_of(&e),
        // not our error (a body the server_fn layer made itself, e.g. a bad request)
        Err(_) => classify_unknown(&bytes),
    };
    parts.status = status;
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// The status an application error goes out with; a transport error made on the server
/// side (the request's arguments did not decode) is the client's fault.
fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Transport(_) => StatusCode::BAD_REQUEST,
        other => other.status_code(),
    }
}

/// Leptos' own text errors: arguments that did not decode are a bad request.
fn classify_unknown(body: &[u8]) -> StatusCode {
    let text = String::from_utf8_lossy(body);
    if text.contains("Deserialization") || text.contains("Args") {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_kind_goes_out_with_its_own_status() {
        use app::errors::Problem;
        use app::i18n::Msg;
        let cases = [
            (AppError::SignInFailed, 401),
            (AppError::NotSignedIn, 401),
            (AppError::Forbidden, 403),
            (AppError::NotFound, 404),
            (AppError::TooManyAttempts { wait_seconds: 5 }, 429),
            (AppError::invalid(Msg::Password, Problem::TooShort), 422),
            (AppError::Internal, 500),
            (AppError::Transport("bad args".into()), 400),
        ];
        for (e, code) in cases {
            assert_eq!(status_of(&e).as_u16(), code, "{e:?}");
        }
    }
}
