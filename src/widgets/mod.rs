//! One folder per widget; each has its own CSS file under `style/` with a
//! `pg-` class prefix. `registry` lists them by their URL name.

pub mod cache_aside;
pub mod clock_controls;
pub mod console;
pub mod expiry;
pub mod imports;
pub mod keyspace;
pub mod load;
pub mod monitor;
pub mod rate_limit;
pub mod registry;
pub mod service_cache;
pub mod stampede;
pub mod trace;
