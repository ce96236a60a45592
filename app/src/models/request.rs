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
    pub stage: Stage,
    pub assignee: Option<String>,
    /// The first words of the request.
    pub excerpt: String,
    /// Something in its thread the viewer has not seen.
    pub unread: bool,
}

/// What one item of a thread says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ThreadEvent {
    Message,
    /// The request moved to this stage.
    Stage(Stage),
    /// Given to this person.
    Assigned(String),
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
}

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
        true
    }
}

/// The desk: rows (new first), how many are new, and the buildings to filter by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskView {
    pub rows: Vec<RequestRow>,
    pub new_count: i64,
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
            stage: Stage::Registration,
            assignee: None,
            excerpt: String::new(),
            unread: false,
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
    }
}
