//! Balance (issue 24): which meters a balance group counts, and a group's day or month —
//! the roots against the signed children, the imbalance and the allowed one. Computed from
//! the consumption rollup, never from raw readings, and never guessing a missing day.

pub mod group;
pub mod phases;
pub mod sums;
