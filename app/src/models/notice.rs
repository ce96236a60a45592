//! Notices to residents (F36): urgent (a water shutdown tomorrow) or permanent (the office's
//! hours), to whole buildings or chosen premises, with who has read each.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::request::AttachmentRef;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Urgent,
    Permanent,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Urgent => "urgent",
            NoticeKind::Permanent => "permanent",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        match s {
            "urgent" => Some(NoticeKind::Urgent),
            "permanent" => Some(NoticeKind::Permanent),
            _ => None,
        }
    }
}

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 8_000;

/// Whom a notice is for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Recipients {
    /// Whole buildings.
    pub objects: Vec<i64>,
    /// Single premises (a resident is reached through their flat).
    pub premises: Vec<i64>,
}

impl Recipients {
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty() && self.premises.is_empty()
    }
}

/// What a dispatcher writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeDraft {
    /// None for a new notice.
    pub id: Option<i64>,
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    pub works_until: Option<NaiveDate>,
    pub attachment_id: Option<i64>,
    pub recipients: Recipients,
}

/// A notice in the dispatcher's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeRow {
    pub id: i64,
    pub kind: NoticeKind,
    pub title: String,
    pub created: String,
    pub works_until: Option<NaiveDate>,
    pub published: bool,
    /// «ЖК «Огни», корпус 1; кв. 12 (ЖК «Рассвет»)»: whom it is for, in words.
    pub addressed: String,
    pub recipients: i64,
    pub read: i64,
}

/// One resident of a notice's recipients, and when they read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadReceipt {
    pub name: String,
    pub object: String,
    pub flat: String,
    pub read_at: Option<String>,
}

/// A notice opened by the dispatcher: what it says, whom it is for, who read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    pub row: NoticeRow,
    pub draft: NoticeDraft,
    pub attachment: Option<AttachmentRef>,
    pub receipts: Vec<ReadReceipt>,
}

/// A notice as a resident sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyNotice {
    pub id: i64,
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    pub published: String,
    pub works_until: Option<NaiveDate>,
    pub attachment: Option<AttachmentRef>,
    pub read: bool,
}

/// The buildings and their premises a dispatcher picks recipients from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecipientChoice {
    pub object_id: i64,
    pub object: String,
    /// (premise id, number, residents registered)
    pub premises: Vec<(i64, String, i64)>,
}
