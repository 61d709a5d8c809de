//! The article's HTTP API, layered as it is there:
//! route handler ([`routes`]) → service ([`products`]) → cache service
//! ([`product_cache`]) → Redis client ([`ports::Redis`]). Redis never leaks
//! into handlers, and the handlers only see the [`ports`] traits, so the same
//! code could run against a real Redis server through another adapter.
//! Imports follow the same shape: service ([`imports`]) → store layer
//! ([`import_store`]) → Redis.

pub mod cache_defences;
pub mod fencing;
pub mod http;
pub mod import_store;
pub mod imports;
pub mod keys;
pub mod limiter_compare;
pub mod ports;
pub mod product_cache;
pub mod products;
pub mod rate_limit;
pub mod routes;
pub mod settings;
pub mod signing_keys;

pub use http::{CacheOutcome, Method, Request, Response};
pub use routes::handle;
pub use settings::Settings;
