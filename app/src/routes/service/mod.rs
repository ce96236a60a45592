//! Service work: the dispatch desk and notices to residents.

pub mod dispatch;
pub mod dispatch_request;
pub mod notice;
pub mod notices;
