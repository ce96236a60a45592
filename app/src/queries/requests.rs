//! Requests as people read them: the resident's own list, the dispatch desk with its filters
//! (new ones first), and one request with its thread. Times are the building's.

use std::collections::HashMap;

use super::local_time;
use super::readings_table::zone;
use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::request::{
    AttachmentRef, DeskFilter, DeskView, RequestCard, RequestRow, Specialist, Stage, ThreadEvent,
    ThreadItem,
};
use crate::models::Role;
use crate::storage::service_request::{self, ListFilter, ServiceRequest};
use crate::storage::{attachment, membership, object, premise, user, Db};

/// Most rows a list shows: the desk is for today's work, older requests are found by number
/// or period.
const LIST_LIMIT: i64 = 500;

/// Names and places looked up once per list.
#[derive(Default)]
struct Lookups {
    users: HashMap<i64, String>,
    objects: HashMap<i64, object::Object>,
    premises: HashMap<i64, String>,
}

impl Lookups {
    async fn user(&mut self, db: &Db, id: Option<i64>) -> Result<String, AppError> {
        let Some(id) = id else {
            return Ok(String::new());
        };
        if !self.users.contains_key(&id) {
            let name = user::get(db, id).await.map(|u| u.full_name).unwrap_or_default();
            self.users.insert(id, name);
        }
        Ok(self.users[&id].clone())
    }

    async fn object(&mut self, db: &Db, company_id: i64, id: Option<i64>) -> Result<Option<object::Object>, AppError> {
        let Some(id) = id else {
            return Ok(None);
        };
        if !self.objects.contains_key(&id) {
            self.objects.insert(id, object::get(db, company_id, id).await?);
        }
        Ok(self.objects.get(&id).cloned())
    }

    async fn premise(&mut self, db: &Db, company_id: i64, id: Option<i64>) -> Result<String, AppError> {
        let Some(id) = id else {
            return Ok(String::new());
        };
        if !self.premises.contains_key(&id) {
            let number = premise::get(db, company_id, id).await.map(|p| p.number).unwrap_or_default();
            self.premises.insert(id, number);
        }
        Ok(self.premises[&id].clone())
    }

    async fn row(&mut self, db: &Db, r: &ServiceRequest, unread: bool) -> Result<RequestRow, AppError> {
        let o = self.object(db, r.company_id, r.object_id).await?;
        let tz = o.as_ref().map(zone).unwrap_or(chrono_tz::Europe::Moscow);
        let assignee = match r.assignee_id {
            Some(_) => Some(self.user(db, r.assignee_id).await?),
            None => None,
        };
        Ok(RequestRow {
            id: r.id,
            number: r.number,
            created: local_time(tz, r.created_at),
            created_on: calendar::local_date(tz, r.created_at),
            object_id: r.object_id,
            object: o.map(|o| o.name).unwrap_or_default(),
            flat: self.premise(db, r.company_id, r.premise_id).await?,
            author: self.user(db, r.author_id).await?,
            specialist: Specialist::parse(&r.specialist).unwrap_or(Specialist::Other),
            stage: Stage::parse(&r.stage).unwrap_or(Stage::Registration),
            assignee,
            excerpt: excerpt(&r.message),
            unread,
        })
    }
}

/// The first words of a message, for a list.
fn excerpt(message: &str) -> String {
    const WORDS: usize = 120;
    let flat: String = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= WORDS {
        flat
    } else {
        format!("{}…", flat.chars().take(WORDS).collect::<String>().trim_end())
    }
}

/// Rows for requests, with what the viewer has not seen marked.
async fn rows(db: &Db, company_id: i64, list: &[ServiceRequest], staff_view: bool) -> Result<Vec<RequestRow>, AppError> {
    let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
    let unread = service_request::unread_among(db, company_id, &ids, staff_view).await?;
    let mut look = Lookups::default();
    let mut out = Vec::with_capacity(list.len());
    for r in list {
        out.push(look.row(db, r, unread.contains(&r.id)).await?);
    }
    Ok(out)
}

/// A resident's own requests, newest first.
pub async fn mine(db: &Db, caller: &Caller) -> Result<Vec<RequestRow>, AppError> {
    let filter = ListFilter {
        author_id: Some(caller.user_id),
        ..Default::default()
    };
    let list = service_request::list(db, caller.company_id, &filter, LIST_LIMIT).await?;
    rows(db, caller.company_id, &list, false).await
}

/// The desk: new requests (at registration) first, then the rest newest first; unread ones
/// are marked for bold.
pub async fn desk(db: &Db, caller: &Caller, f: &DeskFilter) -> Result<DeskView, AppError> {
    AppError::check_dates([&f.from, &f.to])?;
    let tz = chrono_tz::Europe::Moscow;
    let filter = ListFilter {
        stage: f.stage.map(|s| s.as_str().to_string()),
        open_only: f.open_only,
        specialist: f.specialist.map(|s| s.as_str().to_string()),
        object_id: f.object,
        number: f.number,
        author_id: None,
        // a day's margin either side; the exact local dates are checked on the rows
        since: f.from.map(|d| calendar::day_start(tz, d) - 86_400),
        until: f.to.map(|d| calendar::day_start(tz, d) + 2 * 86_400),
    };
    let list = service_request::list(db, caller.company_id, &filter, LIST_LIMIT).await?;
    let mut all = rows(db, caller.company_id, &list, true).await?;
    all.retain(|r| f.admits(r));
    all.sort_by_key(|r| (r.stage != Stage::Registration, std::cmp::Reverse(r.id)));
    Ok(DeskView {
        rows: all,
        new_count: service_request::count_new(db, caller.company_id).await?,
        objects: object::list(db, caller.company_id)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect(),
    })
}

/// One request with its thread. A resident sees only their own (any other is "not found");
/// staff see every request of the company and whom they can give it to.
pub async fn card(db: &Db, caller: &Caller, id: i64, staff_view: bool) -> Result<RequestCard, AppError> {
    let r = service_request::get(db, caller.company_id, id).await?;
    if !staff_view && r.author_id != Some(caller.user_id) {
        return Err(AppError::NotFound);
    }
    let mut look = Lookups::default();
    let unread = !service_request::unread_among(db, caller.company_id, &[r.id], staff_view)
        .await?
        .is_empty();
    let row = look.row(db, &r, unread).await?;
    let o = look.object(db, r.company_id, r.object_id).await?;
    let tz = o.as_ref().map(zone).unwrap_or(chrono_tz::Europe::Moscow);
    let mut thread = Vec::new();
    let mut opening_attachment = None;
    for m in service_request::list_messages(db, caller.company_id, r.id).await? {
        let event = match m.kind.as_str() {
            "assigned" => ThreadEvent::Assigned(m.body.clone()),
            k => match k.strip_prefix("stage:").and_then(Stage::parse) {
                Some(s) => ThreadEvent::Stage(s),
                None => ThreadEvent::Message,
            },
        };
        let attachment = match m.attachment_id {
            Some(a) => attachment::get(db, caller.company_id, a).await.ok().map(|a| AttachmentRef {
                id: a.id,
                name: a.name,
                mime: a.mime,
                size: a.size,
            }),
            None => None,
        };
        // the file filed with the request belongs to its opening, not to the thread
        let sent_with_request = m.kind == "message"
            && m.body.is_empty()
            && m.author_id == r.author_id
            && m.created_at == r.created_at
            && thread.is_empty();
        if sent_with_request && opening_attachment.is_none() {
            opening_attachment = attachment;
            continue;
        }
        thread.push(ThreadItem {
            at: local_time(tz, m.created_at),
            author: look.user(db, m.author_id).await?,
            staff: m.staff != 0,
            body: if matches!(event, ThreadEvent::Message) {
                m.body
            } else {
                String::new()
            },
            event,
            attachment,
        });
    }
    let (phone, assignees) = if staff_view {
        let phone = match r.author_id {
            Some(a) => user::get(db, a).await.map(|u| u.phone).unwrap_or_default(),
            None => String::new(),
        };
        let staff = membership::list_users(db, caller.company_id)
            .await?
            .into_iter()
            .filter(|(u, role, blocked)| {
                !blocked && !u.blocked && matches!(role, Role::Dispatcher | Role::ServiceEngineer)
            })
            .map(|(u, _, _)| (u.id, u.full_name))
            .collect();
        (phone, staff)
    } else {
        (String::new(), Vec::new())
    };
    Ok(RequestCard {
        row,
        message: r.message,
        opening_attachment,
        address: o.map(|o| o.address).unwrap_or_default(),
        phone,
        thread,
        assignee_id: r.assignee_id,
        assignees,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_request_is_cut_to_its_first_words_in_lists() {
        assert_eq!(super::excerpt("Течёт\n кран"), "Течёт кран");
        let long = "слово ".repeat(50);
        let e = super::excerpt(&long);
        assert!(e.ends_with('…'));
        assert!(e.chars().count() <= 121);
    }
}
