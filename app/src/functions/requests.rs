//! Requests (F35, «вызов мастера»): residents file them and follow them; dispatchers and
//! engineers answer, assign and move them through registration → qualification → execution
//! → completion. A resident reaches only their own requests: another one's id is "not found".

use std::collections::HashMap;

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::request::{
    Category, DeskChoices, DeskDraft, DeskFilter, DeskView, LimitsView, RequestCard, RequestRow, Specialist, Stage,
};

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

/// Calls a technician to one of my premises. Returns the new request's id. Without a
/// category it is a repair.
#[server(endpoint = "file_request")]
pub async fn file_request(
    premise: i64,
    specialist: Specialist,
    message: String,
    attachment: Option<i64>,
    #[server(default)] category: Option<Category>,
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
            category: category.unwrap_or(Category::Repair).as_str().into(),
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
    // a group request's answer is every attached resident's answer
    for m in service_request::members(&db, c.company_id, id).await? {
        add(&db, &c, m.id, true, "message", &body, attachment, now).await?;
        service_request::mark_seen(&db, c.company_id, m.id, true).await?;
    }
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
    move_stage(&db, &c, id, from, stage, true).await?;
    // a group request carries its attached ones along; cancelled (filed in error), it lets
    // them go back to standing alone
    for m in service_request::members(&db, c.company_id, id).await? {
        let at = Stage::parse(&m.stage).unwrap_or(Stage::Registration);
        if stage == Stage::Cancelled {
            detach(&db, &c, &m, &r).await?;
        } else if at.may_become(stage) {
            move_stage(&db, &c, m.id, at, stage, true).await?;
        }
    }
    Ok(())
}

/// Sets what kind of work a request is (and so its stages' time limits).
#[server(endpoint = "set_request_category")]
pub async fn set_request_category(id: i64, category: Category) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::service_request;

    let (db, c) = authorize(Permission::HandleRequests).await?;
    service_request::get(&db, c.company_id, id).await?;
    service_request::set_category(&db, c.company_id, id, category.as_str(), crate::storage::now()).await?;
    Ok(())
}

/// What the staff's new-request form offers: the company's buildings and, for the chosen
/// one, its flats and their registered residents.
#[server(endpoint = "desk_request_choices")]
pub async fn desk_request_choices(object: Option<i64>) -> Result<DeskChoices, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{object as objects, premise, resident};

    let (db, c) = authorize(Permission::HandleRequests).await?;
    let mut out = DeskChoices {
        objects: objects::list(&db, c.company_id).await?.into_iter().map(|o| (o.id, o.name)).collect(),
        ..Default::default()
    };
    if let Some(object) = object {
        objects::get(&db, c.company_id, object).await?;
        let mut premises = premise::list(&db, c.company_id, object).await?;
        premises.sort_by_key(|p| (p.number.parse::<i64>().unwrap_or(i64::MAX), p.number.clone()));
        out.residents = resident::of_object(&db, c.company_id, object).await?;
        out.premises = premises.into_iter().map(|p| (p.id, p.number)).collect();
    }
    Ok(out)
}

/// A request staff take themselves: a call, a walk-round finding, a visit; for a building or
/// one of its flats, on behalf of that flat's registered resident (who then follows it in
/// the cabinet) or of whoever called. Returns its id.
#[server(endpoint = "file_desk_request")]
pub async fn file_desk_request(draft: DeskDraft) -> Result<i64, AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::request::{Channel, MAX_APPLICANT_CHARS, MAX_PHONE_CHARS};
    use crate::models::Permission;
    use crate::storage::service_request::{self, ServiceRequest};
    use crate::storage::{object as objects, premise, resident};

    let (db, c) = authorize(Permission::HandleRequests).await?;
    let message = checked_text(&draft.message)?;
    let applicant = draft.applicant.trim().to_string();
    if applicant.chars().count() > MAX_APPLICANT_CHARS {
        return Err(AppError::invalid(Msg::ReqAuthor, Problem::TooLong));
    }
    let phone = draft.phone.trim().to_string();
    let phone_ok = phone.chars().count() <= MAX_PHONE_CHARS
        && phone.chars().all(|ch| ch.is_ascii_digit() || " +-()".contains(ch));
    if !phone_ok {
        return Err(AppError::invalid(Msg::ReqPhone, Problem::BadFormat));
    }
    if draft.channel == Channel::Cabinet {
        return Err(AppError::invalid(Msg::ReqChannel, Problem::BadFormat));
    }
    let o = objects::get(&db, c.company_id, draft.object).await?;
    if let Some(p) = draft.premise {
        if premise::get(&db, c.company_id, p).await?.object_id != o.id {
            return Err(AppError::NotFound);
        }
    }
    let author = match (draft.resident, draft.premise) {
        (Some(u), Some(p)) if resident::holds(&db, c.company_id, u, p).await? => Some(u),
        (Some(_), _) => return Err(AppError::NotFound),
        (None, _) => None,
    };
    let now = crate::storage::now();
    let r = service_request::create(
        &db,
        &ServiceRequest {
            company_id: c.company_id,
            object_id: Some(o.id),
            premise_id: draft.premise,
            author_id: author,
            specialist: draft.specialist.as_str().into(),
            category: draft.category.as_str().into(),
            channel: draft.channel.as_str().into(),
            applicant,
            phone,
            filed_by: Some(c.user_id),
            message,
            stage: Stage::Registration.as_str().into(),
            created_at: now,
            ..Default::default()
        },
    )
    .await?;
    tracing::info!(request = r.id, number = r.number, user = c.user_id, channel = draft.channel.as_str(), "request taken by staff");
    Ok(r.id)
}

/// Attaches residents' requests to a group request (a building-wide outage): its replies and
/// stages then reach them all. All or none: one that may not join refuses the lot.
#[server(endpoint = "attach_requests")]
pub async fn attach_requests(group: i64, #[server(default)] requests: Vec<i64>) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::Permission;
    use crate::storage::service_request;

    let (db, c) = authorize(Permission::HandleRequests).await?;
    let g = service_request::get(&db, c.company_id, group).await?;
    if requests.is_empty() {
        return Err(AppError::invalid(Msg::ReqAttached, Problem::Required));
    }
    let refused = || AppError::invalid(Msg::ReqAttached, Problem::NotAttachable);
    let group_open = Stage::parse(&g.stage).is_some_and(|s| s.is_open());
    if g.group_id.is_some() || !group_open {
        return Err(refused());
    }
    let may_join = service_request::attachable(&db, c.company_id, g.object_id.unwrap_or(0)).await?;
    let mut ids = requests;
    ids.sort_unstable();
    ids.dedup();
    let mut joining = Vec::with_capacity(ids.len());
    for id in &ids {
        // another company's request is "not found", whatever else is wrong with it
        let r = service_request::get(&db, c.company_id, *id).await?;
        if r.id == g.id || !may_join.iter().any(|m| m.id == r.id) {
            return Err(refused());
        }
        joining.push(r);
    }
    let now = crate::storage::now();
    service_request::set_group(&db, c.company_id, &ids, Some(g.id), now).await?;
    for r in &joining {
        add(&db, &c, r.id, true, &format!("joined:{}", g.number), "", None, now).await?;
        service_request::mark_seen(&db, c.company_id, r.id, true).await?;
    }
    tracing::info!(group = g.id, attached = ids.len(), user = c.user_id, "requests attached");
    Ok(())
}

/// Takes a request out of its group: it stands alone again.
#[server(endpoint = "detach_request")]
pub async fn detach_request(id: i64) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::service_request;

    let (db, c) = authorize(Permission::HandleRequests).await?;
    let r = service_request::get(&db, c.company_id, id).await?;
    let Some(group) = r.group_id else {
        return Ok(());
    };
    let g = service_request::get(&db, c.company_id, group).await?;
    detach(&db, &c, &r, &g).await
}

/// «Сроки»: how long a request of each category may stay at each stage.
#[server(endpoint = "request_limits")]
pub async fn request_limits() -> Result<LimitsView, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewCompany).await?;
    Ok(LimitsView {
        limits: crate::storage::request_limit::of_company(&db, c.company_id).await?,
        editable: c.role.allows(Permission::ManageCompany),
    })
}

/// Sets the company's limits: `limits[<category>_<stage>]` a whole number of `units[…]`
/// (`min`, `hour`, `day`), from a minute to 90 days; one left out keeps its default. All are
/// checked before any is kept.
#[server(endpoint = "save_request_limits")]
pub async fn save_request_limits(
    #[server(default)] limits: HashMap<String, String>,
    #[server(default)] units: HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::request::{parse_limit_field, LimitUnit, StageLimits, MAX_LIMIT_MINUTES};
    use crate::models::Permission;
    use crate::storage::{audit, request_limit};

    let (db, c) = authorize(Permission::ManageCompany).await?;
    let mut own = Vec::new();
    for (name, typed) in &limits {
        let (category, stage) =
            parse_limit_field(name).ok_or(AppError::invalid(Msg::LimitsTitle, Problem::BadFormat))?;
        let unit = units.get(name).and_then(|u| LimitUnit::parse(u)).unwrap_or(LimitUnit::Minutes);
        let count: i64 = typed
            .trim()
            .parse()
            .map_err(|_| AppError::invalid(Msg::LimitsTitle, Problem::BadFormat))?;
        let minutes = count.checked_mul(unit.minutes()).unwrap_or(i64::MAX);
        if !(1..=MAX_LIMIT_MINUTES).contains(&minutes) {
            return Err(AppError::invalid(Msg::LimitsTitle, Problem::OutOfBounds));
        }
        own.push((category, stage, minutes));
    }
    request_limit::save(&db, c.company_id, &StageLimits::default().with(own)).await?;
    audit::create(&db, Some(c.company_id), Some(c.user_id), "save_request_limits", "", &c.ip).await?;
    Ok(())
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

/// Takes `r` out of the group `g`, saying so in its thread.
#[cfg(feature = "ssr")]
async fn detach(
    db: &crate::storage::Db,
    c: &crate::auth::caller::Caller,
    r: &crate::storage::service_request::ServiceRequest,
    g: &crate::storage::service_request::ServiceRequest,
) -> Result<(), AppError> {
    use crate::storage::service_request;
    let now = crate::storage::now();
    service_request::set_group(db, c.company_id, &[r.id], None, now).await?;
    add(db, c, r.id, true, &format!("left:{}", g.number), "", None, now).await?;
    service_request::mark_seen(db, c.company_id, r.id, true).await?;
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
