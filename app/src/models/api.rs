//! The open API's tokens as the settings page shows them: what 1С or another system signs
//! in with, what it may do, and whether it still works.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// What a token may do: read the company's data, or read it and post readings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApiScope {
    Read,
    Write,
}

impl ApiScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiScope::Read => "read",
            ApiScope::Write => "write",
        }
    }

    pub fn parse(s: &str) -> Option<ApiScope> {
        match s.trim() {
            "read" => Some(ApiScope::Read),
            "write" => Some(ApiScope::Write),
            _ => None,
        }
    }

    /// A write token reads too.
    pub fn allows(self, needed: ApiScope) -> bool {
        self == ApiScope::Write || needed == ApiScope::Read
    }
}

/// A token in the list: never the token itself, only its first characters. Times are the
/// company's (Moscow) clock, as the users' list shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    pub scope: ApiScope,
    pub hint: String,
    pub created_at: NaiveDateTime,
    /// Who made it; empty when made by `server api-token create`.
    pub created_by: String,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// A token just made: the whole token is shown this once and kept nowhere.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub row: ApiTokenRow,
    pub token: String,
}

/// The longest name a token may have.
pub const MAX_NAME_CHARS: usize = 100;
