//! One folder per widget; each has its own CSS file under `style/` with a
//! `pg-` class prefix. `registry` lists them by their URL name.

pub mod cache_aside;
pub mod clock_controls;
pub mod imports;
pub mod rate_limit;
pub mod registry;
pub mod service_cache;
