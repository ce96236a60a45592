//! Requests to the company (F35, «вызов мастера»): who is needed, the stage the request is
//! in and its thread — shared by the resident's cabinet and the dispatch desk.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The stages a request goes through (Kvant-Energo 3.4.1); cancelled ends it early.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Registration,
    Qualification,
    Execution,
    Completion,
    Cancelled,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Registration,
        Stage::Qualification,
        Stage::Execution,
        Stage::Completion,
        Stage::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Registration => "registration",
            Stage::Qualification => "qualification",
            Stage::Execution => "execution",
            Stage::Completion => "completion",
            Stage::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still being worked on.
    pub fn is_open(self) -> bool {
        !matches!(self, Stage::Completion | Stage::Cancelled)
    }

    /// The stage a dispatcher moves it to next.
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Registration => Some(Stage::Qualification),
            Stage::Qualification => Some(Stage::Execution),
            Stage::Execution => Some(Stage::Completion),
            Stage::Completion | Stage::Cancelled => None,
        }
    }

    /// Whether staff may move a request from `self` to `to`: forward along the way, or to
    /// cancelled while open, or back to execution from completion (the work was not done).
    pub fn may_become(self, to: Stage) -> bool {
        if self == to {
            return false;
        }
        match (self, to) {
            (s, Stage::Cancelled) => s.is_open(),
            (Stage::Completion, Stage::Execution) => true,
            (s, t) => s.is_open() && (t as u8) > (s as u8) && t != Stage::Cancelled,
        }
    }
}

/// The specialist a resident calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Specialist {
    Electrician,
    Plumber,
    Lift,
    Intercom,
    Other,
}

impl Specialist {
    pub const ALL: [Specialist; 5] = [
        Specialist::Electrician,
        Specialist::Plumber,
        Specialist::Lift,
        Specialist::Intercom,
        Specialist::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Specialist::Electrician => "electrician",
            Specialist::Plumber => "plumber",
            Specialist::Lift => "lift",
            Specialist::Intercom => "intercom",
            Specialist::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Specialist> {
        Specialist::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What kind of work a request asks for; it sets the time each stage may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Аварийная: water on the floor, no power, gas smell.
    Emergency,
    /// Текущий ремонт: a dripping tap, a broken lock.
    Repair,
    /// Жалоба: on the company's work or a neighbour.
    Complaint,
    /// Консультация: a question (a bill, a meter's verification).
    Consultation,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Emergency,
        Category::Repair,
        Category::Complaint,
        Category::Consultation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Emergency => "emergency",
            Category::Repair => "repair",
            Category::Complaint => "complaint",
            Category::Consultation => "consultation",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Minutes a request of this category may stay at `stage` before it is overdue, until the
    /// company sets its own; none for a closed one. Emergencies are taken up and localised
    /// within half an hour (ПП 416 п. 13: «не более получаса с момента регистрации заявки»);
    /// complaints and questions are answered within ten days (п. 34); repairs are agreed with
    /// the resident, three days.
    pub fn default_minutes(self, stage: Stage) -> Option<i64> {
        const HOUR: i64 = 60;
        const DAY: i64 = 24 * HOUR;
        let minutes = match (self, stage) {
            (_, Stage::Completion | Stage::Cancelled) => return None,
            (Category::Emergency, Stage::Registration) => 10,
            (Category::Emergency, Stage::Qualification) => 20,
            (Category::Emergency, Stage::Execution) => DAY,
            (Category::Repair, Stage::Registration) => 2 * HOUR,
            (Category::Repair, Stage::Qualification) => DAY,
            (Category::Repair, Stage::Execution) => 3 * DAY,
            (Category::Complaint | Category::Consultation, Stage::Registration) => DAY,
            (Category::Complaint | Category::Consultation, Stage::Qualification) => 2 * DAY,
            (Category::Complaint | Category::Consultation, Stage::Execution) => 10 * DAY,
        };
        Some(minutes)
    }
}

/// The stages a request waits at, each with its time limit.
pub const TIMED_STAGES: [Stage; 3] = [Stage::Registration, Stage::Qualification, Stage::Execution];

/// Longest limit a stage may have: 90 days.
pub const MAX_LIMIT_MINUTES: i64 = 90 * 24 * 60;

/// A company's time limit for each category at each open stage (EK 4.6 «Сроки»), in
/// minutes: the defaults of [`Category::default_minutes`] where it set none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageLimits(pub Vec<(Category, Stage, i64)>);

impl Default for StageLimits {
    fn default() -> Self {
        StageLimits(
            Category::ALL
                .into_iter()
                .flat_map(|c| TIMED_STAGES.into_iter().filter_map(move |s| c.default_minutes(s).map(|m| (c, s, m))))
                .collect(),
        )
    }
}

impl StageLimits {
    /// The defaults with the company's own limits over them.
    pub fn with(mut self, own: impl IntoIterator<Item = (Category, Stage, i64)>) -> StageLimits {
        for (c, s, m) in own {
            if let Some(l) = self.0.iter_mut().find(|(lc, ls, _)| *lc == c && *ls == s) {
                l.2 = m;
            }
        }
        self
    }

    pub fn minutes(&self, category: Category, stage: Stage) -> Option<i64> {
        self.0.iter().find(|(c, s, _)| *c == category && *s == stage).map(|l| l.2)
    }

    /// When a request that reached `stage` at `stage_at` (unix seconds) is due to leave it;
    /// never for a closed one.
    pub fn due(&self, category: Category, stage: Stage, stage_at: i64) -> Option<i64> {
        self.minutes(category, stage).map(|m| stage_at + m * 60)
    }
}

/// How a limit is written on the «Сроки» page: in minutes, hours or days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LimitUnit {
    Minutes,
    Hours,
    Days,
}

impl LimitUnit {
    pub const ALL: [LimitUnit; 3] = [LimitUnit::Minutes, LimitUnit::Hours, LimitUnit::Days];

    pub fn as_str(self) -> &'static str {
        match self {
            LimitUnit::Minutes => "min",
            LimitUnit::Hours => "hour",
            LimitUnit::Days => "day",
        }
    }

    pub fn parse(s: &str) -> Option<LimitUnit> {
        LimitUnit::ALL.into_iter().find(|u| u.as_str() == s)
    }

    pub fn minutes(self) -> i64 {
        match self {
            LimitUnit::Minutes => 1,
            LimitUnit::Hours => 60,
            LimitUnit::Days => 24 * 60,
        }
    }

    /// A limit in the largest unit it is a whole number of: 1 440 minutes is 1 day.
    pub fn split(minutes: i64) -> (i64, LimitUnit) {
        [LimitUnit::Days, LimitUnit::Hours]
            .into_iter()
            .find(|u| minutes % u.minutes() == 0)
            .map(|u| (minutes / u.minutes(), u))
            .unwrap_or((minutes, LimitUnit::Minutes))
    }
}

/// The name of a limit's form field: `emergency_registration`.
pub fn limit_field(category: Category, stage: Stage) -> String {
    format!("{}_{}", category.as_str(), stage.as_str())
}

/// A form field's category and stage back.
pub fn parse_limit_field(name: &str) -> Option<(Category, Stage)> {
    Category::ALL
        .into_iter()
        .flat_map(|c| TIMED_STAGES.into_iter().map(move |s| (c, s)))
        .find(|(c, s)| limit_field(*c, *s) == name)
}

/// The «Сроки» page: the limits, and whether this user may change them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LimitsView {
    pub limits: StageLimits,
    pub editable: bool,
}

/// How a request reached the company: the resident's cabinet, or staff who took it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Cabinet,
    /// A call to the dispatcher.
    Phone,
    /// Found by staff on a walk round the building.
    WalkRound,
    /// Said in person at the office.
    Visit,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Cabinet, Channel::Phone, Channel::WalkRound, Channel::Visit];
    /// What staff choose from when they file a request themselves.
    pub const BY_STAFF: [Channel; 3] = [Channel::Phone, Channel::WalkRound, Channel::Visit];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Cabinet => "cabinet",
            Channel::Phone => "phone",
            Channel::WalkRound => "walk_round",
            Channel::Visit => "visit",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A request's place among group requests (EK 4.5.9, «прикреплённые обращения»): a
/// building-wide outage is one group request with the residents' own requests attached.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Grouping {
    #[default]
    Alone,
    /// A group request with this many attached.
    Group(usize),
    /// Attached to the group request with this id and number.
    Member { id: i64, number: i64 },
}

/// Longest request or reply text taken.
pub const MAX_MESSAGE_CHARS: usize = 4_000;

/// A file as a thread or a notice lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentRef {
    pub id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
}

impl AttachmentRef {
    pub fn href(&self) -> String {
        format!("/attachments/{}", self.id)
    }

    pub fn is_image(&self) -> bool {
        self.mime.starts_with("image/")
    }
}

/// A request as a list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestRow {
    pub id: i64,
    pub number: i64,
    /// `dd.mm.yyyy HH:MM`, building time.
    pub created: String,
    pub created_on: NaiveDate,
    pub object_id: Option<i64>,
    pub object: String,
    pub flat: String,
    pub author: String,
    pub specialist: Specialist,
    pub category: Category,
    pub channel: Channel,
    pub stage: Stage,
    pub assignee: Option<String>,
    /// The first words of the request.
    pub excerpt: String,
    /// Something in its thread the viewer has not seen.
    pub unread: bool,
    /// When the current stage's time runs out (`dd.mm.yyyy HH:MM`, building time); none once
    /// closed.
    pub due: Option<String>,
    /// Its stage's time ran out (staff see it red).
    pub overdue: bool,
    pub grouping: Grouping,
}

impl RequestRow {
    /// «дом, кв. 12», or the building alone for a request of the whole building.
    pub fn place(&self, flat_word: &str) -> String {
        if self.flat.is_empty() {
            self.object.clone()
        } else {
            format!("{}, {flat_word} {}", self.object, self.flat)
        }
    }
}

/// What one item of a thread says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ThreadEvent {
    Message,
    /// The request moved to this stage.
    Stage(Stage),
    /// Given to this person.
    Assigned(String),
    /// Attached to the group request of this number (one problem of the whole building).
    Joined(i64),
    /// Taken out of the group request of this number.
    Left(i64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadItem {
    pub at: String,
    pub author: String,
    /// Written by the company's staff (the resident sees «Диспетчер», not a login).
    pub staff: bool,
    pub event: ThreadEvent,
    pub body: String,
    pub attachment: Option<AttachmentRef>,
}

/// One request opened: its row, its thread and, for staff, whom it can be given to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestCard {
    pub row: RequestRow,
    pub message: String,
    /// The photo or file sent with the request itself.
    pub opening_attachment: Option<AttachmentRef>,
    pub address: String,
    pub phone: String,
    pub thread: Vec<ThreadItem>,
    pub assignee_id: Option<i64>,
    /// Staff who can take it (staff view only).
    pub assignees: Vec<(i64, String)>,
    /// Who of the staff filed it (a phone call, a walk round); empty when the resident did.
    pub filed_by: String,
    /// A group request's attached requests (staff view only).
    pub members: Vec<RequestRow>,
    /// The building's open requests that could be attached to this one (staff view only; none
    /// for a request that is itself attached).
    pub candidates: Vec<RequestRow>,
}

/// A request staff file themselves (EK 4.5.9: «обращения от сервис-инженеров»): for a
/// building, or a flat of it; on behalf of a registered resident of that flat (who then
/// follows it in the cabinet) or of someone who called.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskDraft {
    pub object: i64,
    #[serde(default)]
    pub premise: Option<i64>,
    #[serde(default)]
    pub resident: Option<i64>,
    #[serde(default)]
    pub applicant: String,
    #[serde(default)]
    pub phone: String,
    pub channel: Channel,
    pub specialist: Specialist,
    pub category: Category,
    pub message: String,
}

/// What the staff's new-request form offers for a building: its flats, and the registered
/// residents of each (premise id, user id, name).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeskChoices {
    pub objects: Vec<(i64, String)>,
    pub premises: Vec<(i64, String)>,
    pub residents: Vec<(i64, i64, String)>,
}

/// Longest applicant name and phone taken.
pub const MAX_APPLICANT_CHARS: usize = 200;
pub const MAX_PHONE_CHARS: usize = 40;

/// The desk's filters (F35): stage, specialist, building, flat, period, number.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeskFilter {
    pub stage: Option<Stage>,
    pub specialist: Option<Specialist>,
    pub object: Option<i64>,
    pub flat: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub number: Option<i64>,
    /// Only the open ones (not completed, not cancelled).
    pub open_only: bool,
    pub category: Option<Category>,
    /// Only those whose stage's time ran out.
    pub overdue: bool,
    /// Only group requests and those attached to one.
    pub grouped: bool,
}

impl DeskFilter {
    /// Reads the desk's address query (`?stage=execution&object=3&from=2026-11-01`…).
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> DeskFilter {
        let mut f = DeskFilter::default();
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k {
                "stage" if v == "open" => f.open_only = true,
                "stage" => f.stage = Stage::parse(v),
                "specialist" => f.specialist = Specialist::parse(v),
                "object" => f.object = v.parse().ok(),
                "flat" => f.flat = Some(v.to_string()),
                "from" => f.from = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok(),
                "to" => f.to = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok(),
                "number" => f.number = v.trim_start_matches('№').trim().parse().ok(),
                "category" => f.category = Category::parse(v),
                "overdue" => f.overdue = v == "1",
                "grouped" => f.grouped = v == "1",
                _ => {}
            }
        }
        f
    }

    /// The same filter as an address query, for links and the Excel file.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.open_only {
            parts.push("stage=open".into());
        } else if let Some(s) = self.stage {
            parts.push(format!("stage={}", s.as_str()));
        }
        if let Some(s) = self.specialist {
            parts.push(format!("specialist={}", s.as_str()));
        }
        if let Some(o) = self.object {
            parts.push(format!("object={o}"));
        }
        if let Some(f) = &self.flat {
            parts.push(format!("flat={}", super::format::url_encode(f)));
        }
        if let Some(d) = self.from {
            parts.push(format!("from={}", d.format("%Y-%m-%d")));
        }
        if let Some(d) = self.to {
            parts.push(format!("to={}", d.format("%Y-%m-%d")));
        }
        if let Some(n) = self.number {
            parts.push(format!("number={n}"));
        }
        if let Some(c) = self.category {
            parts.push(format!("category={}", c.as_str()));
        }
        if self.overdue {
            parts.push("overdue=1".into());
        }
        if self.grouped {
            parts.push("grouped=1".into());
        }
        parts.join("&")
    }

    /// Whether a row passes the filters that are not applied in SQL (flat, dates).
    pub fn admits(&self, row: &RequestRow) -> bool {
        if let Some(f) = &self.flat {
            let f = f.to_lowercase();
            let f = f.trim_start_matches("кв.").trim();
            if row.flat.to_lowercase() != f {
                return false;
            }
        }
        if self.from.is_some_and(|d| row.created_on < d) || self.to.is_some_and(|d| row.created_on > d) {
            return false;
        }
        if self.overdue && !row.overdue {
            return false;
        }
        if self.grouped && row.grouping == Grouping::Alone {
            return false;
        }
        true
    }
}

/// The desk: rows (new first), how many are new, and the buildings to filter by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskView {
    pub rows: Vec<RequestRow>,
    pub new_count: i64,
    /// Open requests whose stage's time ran out, of all the company's (not only those shown).
    pub overdue_count: i64,
    pub objects: Vec<(i64, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_move_forward_cancel_while_open_and_reopen_from_completion() {
        use Stage::*;
        assert!(Registration.may_become(Qualification));
        assert!(Registration.may_become(Execution), "a simple request skips qualification");
        assert!(!Execution.may_become(Registration));
        assert!(Execution.may_become(Cancelled));
        assert!(!Completion.may_become(Cancelled));
        assert!(Completion.may_become(Execution));
        assert!(!Cancelled.may_become(Execution));
        assert!(!Execution.may_become(Execution));
        assert_eq!(Registration.next(), Some(Qualification));
        assert_eq!(Execution.next(), Some(Completion));
    }

    #[test]
    fn the_desk_query_reads_back_what_it_wrote() {
        let f = DeskFilter {
            stage: Some(Stage::Execution),
            specialist: Some(Specialist::Plumber),
            object: Some(3),
            flat: Some("12".into()),
            from: NaiveDate::from_ymd_opt(2026, 11, 1),
            to: NaiveDate::from_ymd_opt(2026, 11, 30),
            number: Some(17),
            open_only: false,
            category: Some(Category::Emergency),
            overdue: true,
            grouped: true,
        };
        let q = f.to_query();
        let back = DeskFilter::from_pairs(q.split('&').filter_map(|p| p.split_once('=')));
        assert_eq!(back, f);
        let open = DeskFilter::from_pairs([("stage", "open"), ("number", "№ 5")].into_iter());
        assert!(open.open_only);
        assert_eq!(open.number, Some(5));
    }

    #[test]
    fn flat_filter_takes_the_number_with_or_without_kv() {
        let row = RequestRow {
            id: 1,
            number: 1,
            created: String::new(),
            created_on: NaiveDate::from_ymd_opt(2026, 11, 5).unwrap(),
            object_id: Some(1),
            object: String::new(),
            flat: "12".into(),
            author: String::new(),
            specialist: Specialist::Plumber,
            category: Category::Repair,
            channel: Channel::Cabinet,
            stage: Stage::Registration,
            assignee: None,
            excerpt: String::new(),
            unread: false,
            due: None,
            overdue: false,
            grouping: Grouping::Alone,
        };
        let f = |flat: &str| DeskFilter {
            flat: Some(flat.into()),
            ..Default::default()
        };
        assert!(f("кв. 12").admits(&row));
        assert!(f("12").admits(&row));
        assert!(!f("1").admits(&row));
        let late = DeskFilter {
            from: NaiveDate::from_ymd_opt(2026, 11, 6),
            ..Default::default()
        };
        assert!(!late.admits(&row));
        let overdue = DeskFilter {
            overdue: true,
            ..Default::default()
        };
        assert!(!overdue.admits(&row));
        assert!(overdue.admits(&RequestRow { overdue: true, ..row.clone() }));
        let grouped = DeskFilter {
            grouped: true,
            ..Default::default()
        };
        assert!(!grouped.admits(&row));
        assert!(grouped.admits(&RequestRow { grouping: Grouping::Member { id: 9, number: 3 }, ..row }));
    }

    #[test]
    fn an_emergency_is_due_within_half_an_hour_and_a_closed_request_never() {
        use Category::*;
        let limits = StageLimits::default();
        assert_eq!(limits.0.len(), 12, "four categories, three open stages");
        let taken = limits.minutes(Emergency, Stage::Registration).unwrap()
            + limits.minutes(Emergency, Stage::Qualification).unwrap();
        assert_eq!(taken, 30, "ПП 416 п. 13: localised within half an hour of registration");
        assert_eq!(limits.due(Emergency, Stage::Registration, 1_000), Some(1_000 + 600));
        assert_eq!(limits.due(Repair, Stage::Execution, 0), Some(3 * 86_400));
        assert_eq!(limits.due(Complaint, Stage::Execution, 0), Some(10 * 86_400));
        for c in Category::ALL {
            assert_eq!(limits.due(c, Stage::Completion, 0), None);
            assert_eq!(limits.due(c, Stage::Cancelled, 0), None);
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        // a company's own limit replaces the default, the rest stay
        let own = StageLimits::default().with([(Repair, Stage::Registration, 30)]);
        assert_eq!(own.due(Repair, Stage::Registration, 0), Some(1_800));
        assert_eq!(own.minutes(Repair, Stage::Execution), limits.minutes(Repair, Stage::Execution));
        for ch in Channel::ALL {
            assert_eq!(Channel::parse(ch.as_str()), Some(ch));
        }
        assert!(!Channel::BY_STAFF.contains(&Channel::Cabinet), "staff do not file as the cabinet");
    }

    #[test]
    fn a_limit_is_written_in_its_largest_whole_unit_and_its_field_reads_back() {
        assert_eq!(LimitUnit::split(1_440), (1, LimitUnit::Days));
        assert_eq!(LimitUnit::split(120), (2, LimitUnit::Hours));
        assert_eq!(LimitUnit::split(90), (90, LimitUnit::Minutes));
        assert_eq!(LimitUnit::split(14_400), (10, LimitUnit::Days));
        for (c, s, _) in StageLimits::default().0 {
            assert_eq!(parse_limit_field(&limit_field(c, s)), Some((c, s)));
        }
        assert_eq!(parse_limit_field("emergency_completion"), None, "a closed stage has no limit");
        assert_eq!(parse_limit_field("x"), None);
    }
}
