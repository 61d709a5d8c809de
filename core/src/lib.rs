//! The pure core of the Redis Patterns Playground.
//!
//! Everything here is plain Rust with no DOM and no real clock: time is a
//! virtual clock in milliseconds that the caller advances, and randomness
//! comes from a seeded generator. That keeps every behaviour reproducible and
//! testable natively, and lets the browser shell stay a thin layer that only
//! turns engine state into pixels.
//!
//! - [`store`]: a Redis-like keyspace with passive expiry and one command path.
//! - [`db`]: a deliberately slow fake product database.
//! - [`api`]: the article's HTTP routes as handlers over store and DB handles.
//! - [`sim`]: the discrete-event engine that runs many requests at once.

// A panic in wasm kills the page: outside tests, nothing may unwrap, expect,
// index or slice what a user can influence (clippy says where; the test
// command runs clippy on both libraries, native and wasm).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod api;
pub mod db;
pub mod json;
pub mod load;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod sort;
pub mod stats;
pub mod store;
pub mod time;
