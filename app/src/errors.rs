//! The one application error. Server functions return it; it survives the trip to the
//! browser as JSON and is shown by one component (`components::error_view`) in the user's
//! language.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Msg};

/// What is wrong with one form field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooShort,
    AlreadyExists,
    BadFormat,
    TooLong,
    /// A repeated field (the password typed twice) differs.
    Mismatch,
    /// A password on the list of the most common ones (or the login itself).
    TooCommon,
    /// A date before 1900 or after 2200: no metering record is there, and date arithmetic
    /// past them overflows.
    OutOfRange,
    /// A number whose check digit does not add up (ИНН, ОГРН, a bank account): a typo.
    BadCheckDigit,
    /// A figure no building or meter has (−3 floors, latitude 95).
    OutOfBounds,
    /// Something still depends on it (a line with meters in service on it).
    InUse,
    /// Nothing of that name is known (a login to add to the company).
    Unknown,
    /// Accounts or meters hang on it (a premise to delete).
    HasDependents,
    /// A day after today where only today or before makes sense (a season's first day).
    InFuture,
    /// Before the day of the thing's previous change (a building's last season change).
    BeforePrevious,
    /// On the day of the previous change: one change a day.
    SameDay,
    /// A change to what it already is (a building already in that season).
    SameSeason,
    /// Undone after the day it was made.
    TooLate,
    /// A request that cannot join a group: closed, of another building, attached elsewhere,
    /// a group itself, or the group request itself.
    NotAttachable,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    NotSignedIn,
    #[error("forbidden")]
    Forbidden,
    /// Signed in with a password an administrator gave: it must be changed first.
    #[error("the password must be changed")]
    MustChangePassword,
    #[error("not found")]
    NotFound,
    #[error("wrong login or password")]
    SignInFailed,
    #[error("account blocked")]
    Blocked,
    #[error("account belongs to no company")]
    NoCompany,
    #[error("too many attempts, wait {wait_seconds} s")]
    TooManyAttempts { wait_seconds: i64 },
    /// An activation code or invite that is unknown, used or expired: one answer for all
    /// three, so a guesser learns nothing.
    #[error("activation code not valid")]
    CodeNotValid,
    /// An invite was asked for but no SMTP relay is configured.
    #[error("mail is not configured")]
    MailNotConfigured,
    #[error("field {field:?}: {problem:?}")]
    Invalid { field: Msg, problem: Problem },
    /// The server is at its limit of password checks (a flood): try again in a moment.
    #[error("busy")]
    Busy,
    /// Too many files uploaded and not yet sent, or too many bytes in a day.
    #[error("upload quota")]
    UploadQuota,
    /// A billing period already exported in a template, and no re-run asked for.
    #[error("already exported")]
    AlreadyExported,
    /// The first-run page was sent after a company had been created.
    #[error("already set up")]
    AlreadySetUp,
    /// The database cannot be reached (stopped, restarting, out of connections): nothing
    /// was done, and the same request can be sent again in a moment.
    #[error("database unavailable")]
    Unavailable,
    /// Details are logged on the server, never sent.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server function or its answer did not come back.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    /// The sentence shown to a person.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            AppError::NotSignedIn => Msg::ErrNotSignedIn.text(lang).into(),
            AppError::Forbidden => Msg::ErrForbidden.text(lang).into(),
            AppError::MustChangePassword => Msg::ErrMustChangePassword.text(lang).into(),
            AppError::NotFound => Msg::ErrNotFound.text(lang).into(),
            AppError::SignInFailed => Msg::ErrSignInFailed.text(lang).into(),
            AppError::Blocked => Msg::ErrBlocked.text(lang).into(),
            AppError::NoCompany => Msg::ErrNoCompany.text(lang).into(),
            AppError::TooManyAttempts { wait_seconds } => {
                format!(
                    "{} {wait_seconds} {}.",
                    Msg::ErrTooManyAttempts.text(lang),
                    Msg::Seconds.text(lang)
                )
            }
            AppError::Invalid { field, problem } => {
                let p = match problem {
                    Problem::Required => Msg::ErrRequired,
                    Problem::TooShort => Msg::ErrTooShort,
                    Problem::AlreadyExists => Msg::ErrAlreadyExists,
                    Problem::BadFormat => Msg::ErrBadFormat,
                    Problem::TooLong => Msg::ErrTooLong,
                    Problem::Mismatch => Msg::ErrMismatch,
                    Problem::OutOfRange => Msg::ErrDateRange,
                    Problem::TooCommon => Msg::ErrTooCommon,
                    Problem::BadCheckDigit => Msg::ErrCheckDigit,
                    Problem::OutOfBounds => Msg::ErrOutOfBounds,
                    Problem::InUse => Msg::ErrInUse,
                    Problem::Unknown => Msg::ErrUnknown,
                    Problem::HasDependents => Msg::ErrHasDependents,
                    Problem::InFuture => Msg::ErrInFuture,
                    Problem::BeforePrevious => Msg::ErrBeforePrevious,
                    Problem::SameDay => Msg::ErrSameDay,
                    Problem::SameSeason => Msg::ErrSameSeason,
                    Problem::TooLate => Msg::ErrTooLate,
                    Problem::NotAttachable => Msg::ErrNotAttachable,
                };
                format!("{}: {}", field.text(lang), p.text(lang))
            }
            AppError::CodeNotValid => Msg::ErrCodeNotValid.text(lang).into(),
            AppError::MailNotConfigured => Msg::ErrMailNotConfigured.text(lang).into(),
            AppError::Busy => Msg::ErrBusy.text(lang).into(),
            AppError::UploadQuota => Msg::ErrUploadQuota.text(lang).into(),
            AppError::AlreadySetUp => Msg::FirstStartDone.text(lang).into(),
            AppError::AlreadyExported => Msg::ErrAlreadyExported.text(lang).into(),
            AppError::Internal => Msg::ErrInternal.text(lang).into(),
            AppError::Unavailable => Msg::ErrUnavailable.text(lang).into(),
            // the browser's own words ("TypeError: Failed to fetch") help nobody on a phone
            AppError::Transport(_) => Msg::ErrNetwork.text(lang).into(),
        }
    }

    pub fn status_code(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            AppError::NotSignedIn | AppError::SignInFailed => S::UNAUTHORIZED,
            AppError::Forbidden
            | AppError::Blocked
            | AppError::NoCompany
            | AppError::MustChangePassword => S::FORBIDDEN,
            AppError::NotFound => S::NOT_FOUND,
            AppError::TooManyAttempts { .. } | AppError::UploadQuota => S::TOO_MANY_REQUESTS,
            AppError::Invalid { .. } | AppError::CodeNotValid => S::UNPROCESSABLE_ENTITY,
            AppError::AlreadySetUp | AppError::AlreadyExported => S::CONFLICT,
            AppError::Internal => S::INTERNAL_SERVER_ERROR,
            AppError::MailNotConfigured | AppError::Busy | AppError::Unavailable => S::SERVICE_UNAVAILABLE,
            AppError::Transport(_) => S::BAD_GATEWAY,
        }
    }

    pub fn invalid(field: Msg, problem: Problem) -> AppError {
        AppError::Invalid { field, problem }
    }

    /// Refuses dates outside 1900–2200 (422 with a clear message) before anything adds
    /// months or days to them.
    pub fn check_dates<'a>(
        dates: impl IntoIterator<Item = &'a Option<chrono::NaiveDate>>,
    ) -> Result<(), AppError> {
        use chrono::Datelike;
        let bad = dates
            .into_iter()
            .flatten()
            .any(|d| !(1900..=2200).contains(&d.year()));
        if bad {
            Err(AppError::invalid(Msg::Date, Problem::OutOfRange))
        } else {
            Ok(())
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<crate::storage::StorageError> for AppError {
    fn from(e: crate::storage::StorageError) -> Self {
        use crate::storage::StorageError as E;
        match e {
            E::NotFound => AppError::NotFound,
            // the database away is a 503 the caller may retry, not a fault in this request
            E::Db(
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::WorkerCrashed,
            ) => {
                tracing::warn!("the database cannot be reached");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "storage error");
                AppError::Internal
            }
        }
    }
}
