//! Requests (F35, «вызов мастера»): residents file them and follow them; dispatchers and
//! engineers answer, assign and move them through registration → qualification → execution
//! → completion. A resident reaches only their own requests: another one's id is "not found".

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::request::{DeskFilter, DeskView, RequestCard, RequestRow, Specialist, Stage};

/// My requests, newest first.
#[server(endpoint = "my_requests")]
pub async fn my_requests() -> Result<Vec<RequestRow>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::OwnPremises).await?;
    crate::queries::requests::mine(&db, &c).await
}

/// One of my requests with its thread; opening it marks the company's answers seen.
#[server(endpoint = "my_request")]
pub async fn my_request(id: i64) -> Result<RequestCard, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::OwnPremises).await?;
    let card = crate::queries::requests::card(&db, &c, id, false).await?;
    crate::storage::service_request::mark_seen(&db, c.company_id, id, false)
        .await?;
    Ok(card)
}

/// Calls a technician to one of my premises. Returns the new request's id.
#[server(endpoint = "file_request")]
pub async fn file_request(
    premise: i64,
    specialist: Specialist,
    message: String,
    attachment: Option<i64>,
) -> Result<i64, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::service_request::{self, ServiceRequest};
    use crate::storage::{premise as premises, resident};

    let (db, c) = authorize(Permission::OwnPremises).await?;
    let message = checked_text(&message)?;
    if !resident::holds(&db, c.company_id, c.user_id, premise).await? {
        return Err(AppError::NotFound);
    }
    let p = premises::get(&db, c.company_id, premise).await?;
    let attachment = own_unattached(&db, &c, attachment).await?;
    let now = crate::storage::now();
    let r = service_request::create(
        &db,
        &ServiceRequest {
            company_id: c.company_id,
            object_id: Some(p.object_id),
            premise_id: Some(p.id),
            author_id: Some(c.user_id),
            specialist: specialist.as_str().into(),
            message,
            stage: Stage::Registration.as_str().into(),
            created_at: now,
            ..Default::default()
        },
    )
    .await?;
    if attachment.is_some() {
        // the photo sent with the request opens its thread
        add(&db, &c, r.id, false, "message", "", attachment, now).await?;
        service_request::mark_seen(&db, c.company_id, r.id, false).await?;
    }
    tracing::info!(request = r.id, number = r.number, user = c.user_id, "request filed");
    Ok(r.id)
}

/// I write in my request's thread (while it is open).
#[server(endpoint = "reply_my_request")]
pub async fn reply_my_request(id: i64, body: String, attachment: Option<i64>) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::service_request;

    let (db, c) = authorize(Permission::OwnPremises).await?;
    let r = service_request::get(&db, c.company_id, id).await?;
    if r.author_id != Some(c.user_id) {
        return Err(AppError::NotFound);
    }
    let body = checked_text(&body)?;
    let attachment = own_unattached(&db, &c, attachment).await?;
    let now = crate::storage::now();
    add(&db, &c, id, false, "message", &body, attachment, now).await?;
    service_request::mark_seen(&db, c.company_id, id, false).await?;
    Ok(())
}

/// I withdraw my request before work on it started.
#[server(endpoint = "cancel_my_request")]
pub async fn cancel_my_request(id: i64) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::service_request;

    let (db, c) = authorize(Permission::OwnPremises).await?;
    let r = service_request::get(&db, c.company_id, id).await?;
    if r.author_id != Some(c.user_id) {
        return Err(AppError::NotFound);
    }
    let stage = Stage::parse(&r.stage).unwrap_or(Stage::Registration);
    if !matches!(stage, Stage::Registration | Stage::Qualification) {
        return Err(AppError::Forbidden);
    }
    move_stage(&db, &c, id, stage, Stage::Cancelled, false).await
}

/// The dispatch desk (F35) under its filters.
#[server(endpoint = "desk")]
pub async fn desk(filter: DeskFilter) -> Result<DeskView, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::HandleRequests).await?;
    crate::queries::requests::desk(&db, &c, &filter).await
}

/// A request as staff see it; opening it marks the resident's messages seen.
#[server(endpoint = "desk_request")]
pub async fn desk_request(id: i64) -> Result<RequestCard, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::HandleRequests).await?;
    let card = crate::queries::requests::card(&db, &c, id, true).await?;
    crate::storage::service_request::mark_seen(&db, c.company_id, id, true)
        .await?;
    Ok(card)
}

/// Staff answer in a request's thread.
#[server(endpoint = "staff_reply")]
pub async fn staff_reply(id: i64, body: String, attachment: Option<i64>) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::service_request;

    let (db, c) = authorize(Permission::HandleRequests).await?;
    service_request::get(&db, c.company_id, id).await?;
    let body = checked_text(&body)?;
    let attachment = own_unattached(&db, &c, attachment).await?;
    let now = crate::storage::now();
    add(&db, &c, id, true, "message", &body, attachment, now).await?;
    service_request::mark_seen(&db, c.company_id, id, true).await?;
    Ok(())
}

/// Moves a request to another stage (forward, cancelled, or back to execution).
#[server(endpoint = "set_request_stage")]
pub async fn set_request_stage(id: i64, stage: Stage) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::service_request;

    let (db, c) = authorize(Permission::HandleRequests).await?;
    let r = service_request::get(&db, c.company_id, id).await?;
    let from = Stage::parse(&r.stage).unwrap_or(Stage::Registration);
    if !from.may_become(stage) {
        return Err(AppError::invalid(
            crate::i18n::Msg::ReqStage,
            crate::errors::Problem::BadFormat,
        ));
    }
    move_stage(&db, &c, id, from, stage, true).await
}

/// Gives a request to a dispatcher or engineer of the company (or to nobody).
#[server(endpoint = "assign_request")]
pub async fn assign_request(id: i64, assignee: Option<i64>) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::{Permission, Role};
    use crate::storage::{membership, service_request, user};

    let (db, c) = authorize(Permission::HandleRequests).await?;
    service_request::get(&db, c.company_id, id).await?;
    let name = match assignee {
        Some(a) => match membership::get(&db, a, c.company_id).await? {
            Some(m) if !m.blocked && matches!(m.role, Role::Dispatcher | Role::ServiceEngineer) => {
                user::get(&db, a).await?.full_name
            }
            _ => return Err(AppError::NotFound),
        },
        None => String::new(),
    };
    let now = crate::storage::now();
    service_request::set_assignee(&db, c.company_id, id, assignee, now).await?;
    add(&db, &c, id, true, "assigned", &name, None, now).await?;
    service_request::mark_seen(&db, c.company_id, id, true).await?;
    Ok(())
}

/// A message of at most [`MAX_MESSAGE_CHARS`](crate::models::request::MAX_MESSAGE_CHARS).
#[cfg(feature = "ssr")]
fn checked_text(text: &str) -> Result<String, AppError> {
    use crate::errors::Problem;
    use crate::i18n::Msg;
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(Msg::ReqMessage, Problem::Required));
    }
    if text.chars().count() > crate::models::request::MAX_MESSAGE_CHARS {
        return Err(AppError::invalid(Msg::ReqMessage, Problem::TooLong));
    }
    Ok(text.to_string())
}

/// A file the caller uploaded and has not attached anywhere yet; anyone else's is "not found".
#[cfg(feature = "ssr")]
pub(crate) async fn own_unattached(
    db: &crate::storage::Db,
    c: &crate::auth::caller::Caller,
    id: Option<i64>,
) -> Result<Option<i64>, AppError> {
    use crate::storage::attachment;
    let Some(id) = id else {
        return Ok(None);
    };
    let a = attachment::get(db, c.company_id, id).await?;
    if a.uploaded_by != Some(c.user_id) || attachment::is_attached(db, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Some(id))
}

/// One item of a thread.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
async fn add(
    db: &crate::storage::Db,
    c: &crate::auth::caller::Caller,
    request_id: i64,
    staff: bool,
    kind: &str,
    body: &str,
    attachment_id: Option<i64>,
    now: i64,
) -> Result<(), AppError> {
    use crate::storage::service_request::{add_message, RequestMessage};
    add_message(
        db,
        &RequestMessage {
            request_id,
            company_id: c.company_id,
            author_id: Some(c.user_id),
            staff: staff as i64,
            kind: kind.into(),
            body: body.into(),
            attachment_id,
            created_at: now,
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// Moves the stage and says so in the thread.
#[cfg(feature = "ssr")]
async fn move_stage(
    db: &crate::storage::Db,
    c: &crate::auth::caller::Caller,
    id: i64,
    from: Stage,
    to: Stage,
    staff: bool,
) -> Result<(), AppError> {
    use crate::storage::service_request;
    let now = crate::storage::now();
    service_request::set_stage(db, c.company_id, id, to.as_str(), !to.is_open(), now).await?;
    add(db, c, id, staff, &format!("stage:{}", to.as_str()), "", None, now).await?;
    service_request::mark_seen(db, c.company_id, id, staff).await?;
    tracing::info!(request = id, from = from.as_str(), to = to.as_str(), user = c.user_id, "request stage");
    Ok(())
}
