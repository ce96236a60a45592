//! Ingest: readings on their way into storage. Human entries (field staff, dispatchers,
//! residents, other systems) and automatic ones (polls, LoRa uplinks) pass one set of checks
//! here, whichever way they came.

pub mod checks;
pub mod entry;
pub mod past;
pub mod validate;
