//! Requests as people read them: the resident's own list, the dispatch desk with its filters
//! (new ones first), and one request with its thread. Times are the building's.

use std::collections::HashMap;

use super::local_time;
use super::readings_table::zone;
use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::request::{
    AttachmentRef, Category, Channel, DeskFilter, DeskView, Grouping, RequestCard, RequestRow, Specialist,
    Stage, StageLimits, ThreadEvent, ThreadItem,
};
use crate::models::Role;
use crate::storage::service_request::{self, ListFilter, ServiceRequest};
use crate::storage::{attachment, membership, object, premise, request_limit, user, Db};

/// Most rows a list shows: the desk is for today's work, older requests are found by number
/// or period.
const LIST_LIMIT: i64 = 500;

/// Names and places looked up once per list.
#[derive(Default)]
struct Lookups {
    users: HashMap<i64, String>,
    objects: HashMap<i64, object::Object>,
    premises: HashMap<i64, String>,
    /// Group requests' numbers, for their members' rows.
    numbers: HashMap<i64, i64>,
    /// The company's time limits per category and stage.
    limits: StageLimits,
}

impl Lookups {
    async fn new(db: &Db, company_id: i64) -> Result<Lookups, AppError> {
        Ok(Lookups {
            limits: request_limit::of_company(db, company_id).await?,
            ..Default::default()
        })
    }

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

    async fn number(&mut self, db: &Db, company_id: i64, id: i64) -> Result<i64, AppError> {
        if !self.numbers.contains_key(&id) {
            self.numbers.insert(id, service_request::get(db, company_id, id).await?.number);
        }
        Ok(self.numbers[&id])
    }

    /// A request's row as of `now`; `members` is how many are attached to it.
    async fn row(&mut self, db: &Db, r: &ServiceRequest, unread: bool, members: usize, now: i64) -> Result<RequestRow, AppError> {
        let o = self.object(db, r.company_id, r.object_id).await?;
        let tz = o.as_ref().map(zone).unwrap_or(chrono_tz::Europe::Moscow);
        let assignee = match r.assignee_id {
            Some(_) => Some(self.user(db, r.assignee_id).await?),
            None => None,
        };
        let stage = Stage::parse(&r.stage).unwrap_or(Stage::Registration);
        let category = Category::parse(&r.category).unwrap_or(Category::Repair);
        let due = self.limits.due(category, stage, r.stage_at);
        let grouping = match r.group_id {
            Some(g) => Grouping::Member {
                id: g,
                number: self.number(db, r.company_id, g).await?,
            },
            None if members > 0 => Grouping::Group(members),
            None => Grouping::Alone,
        };
        let author = match r.author_id {
            Some(_) => self.user(db, r.author_id).await?,
            None => r.applicant.clone(),
        };
        Ok(RequestRow {
            id: r.id,
            number: r.number,
            created: local_time(tz, r.created_at),
            created_on: calendar::local_date(tz, r.created_at),
            object_id: r.object_id,
            object: o.map(|o| o.name).unwrap_or_default(),
            flat: self.premise(db, r.company_id, r.premise_id).await?,
            author,
            specialist: Specialist::parse(&r.specialist).unwrap_or(Specialist::Other),
            category,
            channel: Channel::parse(&r.channel).unwrap_or(Channel::Cabinet),
            stage,
            assignee,
            excerpt: excerpt(&r.message),
            unread,
            due: due.map(|d| local_time(tz, d)),
            overdue: due.is_some_and(|d| now > d),
            grouping,
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
    let members: HashMap<i64, i64> = service_request::member_counts(db, company_id, &ids).await?.into_iter().collect();
    let now = crate::storage::now();
    let mut look = Lookups::new(db, company_id).await?;
    let mut out = Vec::with_capacity(list.len());
    for r in list {
        let attached = members.get(&r.id).copied().unwrap_or(0) as usize;
        out.push(look.row(db, r, unread.contains(&r.id), attached, now).await?);
    }
    Ok(out)
}

/// What a thread item's stored kind says.
fn thread_event(kind: &str, body: &str) -> ThreadEvent {
    let number = |s: &str| s.parse::<i64>().unwrap_or(0);
    match kind.split_once(':') {
        _ if kind == "assigned" => ThreadEvent::Assigned(body.to_string()),
        Some(("stage", s)) => Stage::parse(s).map(ThreadEvent::Stage).unwrap_or(ThreadEvent::Message),
        Some(("joined", n)) => ThreadEvent::Joined(number(n)),
        Some(("left", n)) => ThreadEvent::Left(number(n)),
        _ => ThreadEvent::Message,
    }
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
        category: f.category.map(|c| c.as_str().to_string()),
        author_id: None,
        // a day's margin either side; the exact local dates are checked on the rows
        since: f.from.map(|d| calendar::day_start(tz, d) - 86_400),
        until: f.to.map(|d| calendar::day_start(tz, d) + 2 * 86_400),
    };
    let list = service_request::list(db, caller.company_id, &filter, LIST_LIMIT).await?;
    let mut all = rows(db, caller.company_id, &list, true).await?;
    all.retain(|r| f.admits(r));
    all.sort_by_key(|r| (r.stage != Stage::Registration, std::cmp::Reverse(r.id)));
    let now = crate::storage::now();
    let limits = request_limit::of_company(db, caller.company_id).await?;
    let overdue_count = service_request::open_timings(db, caller.company_id)
        .await?
        .into_iter()
        .filter(|(category, stage, at)| {
            let category = Category::parse(category).unwrap_or(Category::Repair);
            let stage = Stage::parse(stage).unwrap_or(Stage::Registration);
            limits.due(category, stage, *at).is_some_and(|d| now > d)
        })
        .count() as i64;
    Ok(DeskView {
        rows: all,
        new_count: service_request::count_new(db, caller.company_id).await?,
        overdue_count,
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
    let mut look = Lookups::new(db, caller.company_id).await?;
    let unread = !service_request::unread_among(db, caller.company_id, &[r.id], staff_view)
        .await?
        .is_empty();
    let members = if staff_view {
        service_request::members(db, caller.company_id, r.id).await?
    } else {
        Vec::new()
    };
    let row = look.row(db, &r, unread, members.len(), crate::storage::now()).await?;
    let o = look.object(db, r.company_id, r.object_id).await?;
    let tz = o.as_ref().map(zone).unwrap_or(chrono_tz::Europe::Moscow);
    let mut thread = Vec::new();
    let mut opening_attachment = None;
    for m in service_request::list_messages(db, caller.company_id, r.id).await? {
        let event = thread_event(&m.kind, &m.body);
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
            _ if !r.phone.is_empty() => r.phone.clone(),
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
    let (members, candidates) = if staff_view {
        let members = rows(db, caller.company_id, &members, true).await?;
        let candidates = match (r.group_id, r.object_id, row.stage.is_open()) {
            (None, Some(object), true) => {
                let mut list = service_request::attachable(db, caller.company_id, object).await?;
                list.retain(|c| c.id != r.id);
                rows(db, caller.company_id, &list, true).await?
            }
            _ => Vec::new(),
        };
        (members, candidates)
    } else {
        (Vec::new(), Vec::new())
    };
    let filed_by = look.user(db, r.filed_by).await?;
    Ok(RequestCard {
        filed_by,
        members,
        candidates,
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
    fn thread_items_read_back_their_kind() {
        use crate::models::request::{Stage, ThreadEvent};
        assert_eq!(super::thread_event("stage:execution", ""), ThreadEvent::Stage(Stage::Execution));
        assert_eq!(super::thread_event("assigned", "Иванов"), ThreadEvent::Assigned("Иванов".into()));
        assert_eq!(super::thread_event("joined:12", ""), ThreadEvent::Joined(12));
        assert_eq!(super::thread_event("left:12", ""), ThreadEvent::Left(12));
        assert_eq!(super::thread_event("message", "Течёт"), ThreadEvent::Message);
        assert_eq!(super::thread_event("stage:bogus", ""), ThreadEvent::Message);
    }

    #[test]
    fn a_long_request_is_cut_to_its_first_words_in_lists() {
        assert_eq!(super::excerpt("Течёт\n кран"), "Течёт кран");
        let long = "слово ".repeat(50);
        let e = super::excerpt(&long);
        assert!(e.ends_with('…'));
        assert!(e.chars().count() <= 121);
    }
}
