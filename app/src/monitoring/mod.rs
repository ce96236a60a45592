//! Monitoring (issue 23): turns the state of meters and their readings into events — a
//! meter gone quiet, a poll unanswered, a reading that went down or jumped, a verification
//! overdue — for «Нештатные ситуации» and «Журнал событий»; and the map's tile server.

pub mod alerts;
pub mod deviation;
pub mod map;
pub mod sweep;

pub use sweep::{settle_readings, sweep_all, sweep_company, Swept, SILENT_DAYS};
