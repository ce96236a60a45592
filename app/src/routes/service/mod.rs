//! Service work: the meter inventory, the communicators, the dispatch desk, notices to residents and the
//! verification calendar.

pub mod communicator;
pub mod communicators;
pub mod dispatch;
pub mod dispatch_new;
pub mod dispatch_request;
pub mod inventory;
pub mod meter_form;
pub mod notice;
pub mod notices;
pub mod season;
pub mod verification;
