//! The unsubscribe link of every alert letter (issue 23, point 10): opens without a session
//! (the letter may be read anywhere), asks once, and turns the subscription off on the
//! button — a GET changes nothing, so a mail scanner following links unsubscribes nobody.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::AppState;
use app::storage::alert_subscription;

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — Учёт</title><style>body{{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1d2733}}main{{max-width:36rem;margin:3rem auto;padding:1.5rem;background:#fff;border-radius:8px}}button{{font:inherit;padding:.5rem 1.2rem;border:0;border-radius:6px;background:#1f6feb;color:#fff;cursor:pointer}}</style></head>\
         <body><main class=\"page unsubscribe\" data-testid=\"unsubscribe\"><h1>{title}</h1>{body}</main></body></html>"
    ))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn unknown() -> Response {
    (StatusCode::NOT_FOUND, page("Ссылка не найдена", "<p>Подписки по этой ссылке нет: её удалили или ссылка неполная.</p>")).into_response()
}

/// Asks whether to stop the subscription the link names.
pub async fn ask(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match alert_subscription::by_token(&state.db, &token).await {
        Ok(Some(s)) if !s.subscription.active => {
            page("Оповещения отключены", &format!("<p>Подписка «{}» уже отключена.</p>", escape(&s.subscription.name))).into_response()
        }
        Ok(Some(s)) => page(
            "Отписаться от оповещений",
            &format!(
                "<p>Подписка «{}»: письма и уведомления о событиях больше не придут.</p>\
                 <form method=\"post\"><button type=\"submit\" class=\"button primary\" data-testid=\"unsubscribe-confirm\">Отписаться</button></form>",
                escape(&s.subscription.name)
            ),
        )
        .into_response(),
        Ok(None) => unknown(),
        Err(e) => {
            tracing::error!(error = %e, "unsubscribe link not read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Turns the subscription off.
pub async fn confirm(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let found = match alert_subscription::by_token(&state.db, &token).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "unsubscribe link not read");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let Some(s) = found else { return unknown() };
    if let Err(e) = alert_subscription::set_active(&state.db, s.subscription.id, false).await {
        tracing::error!(error = %e, "subscription not turned off");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let _ = app::storage::audit::create(&state.db, Some(s.company_id), Some(s.user_id), "alert.unsubscribe", &format!("«{}»", s.subscription.name), "").await;
    page(
        "Оповещения отключены",
        &format!("<p>Подписка «{}» отключена. Включить её снова можно в Учёте: Мониторинг → Оповещения.</p>", escape(&s.subscription.name)),
    )
    .into_response()
}
