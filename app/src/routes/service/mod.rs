//! Service work: the dispatch desk, notices to residents and the verification calendar.

pub mod dispatch;
pub mod dispatch_request;
pub mod notice;
pub mod notices;
pub mod verification;
