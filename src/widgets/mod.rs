//! One folder per widget; each has its own CSS file under `style/` with a
//! `pg-` class prefix.

pub mod cache_aside;
pub mod clock_controls;
