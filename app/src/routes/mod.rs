//! Pages, one file each, grouped by area.

pub mod home;
pub mod login;
pub mod not_found;
pub mod objects;
pub mod resident;
pub mod settings;
