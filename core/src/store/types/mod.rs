//! Data structures behind the collection types (see `value.rs`).

pub mod zset;
pub mod longdouble;
