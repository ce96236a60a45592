//! Ingest: readings on their way into storage. Human entries (field staff, dispatchers,
//! later residents) pass one set of checks here, whichever screen they came from.

pub mod checks;
pub mod entry;
