//! Data structures behind the collection types (see `value.rs`).

pub mod longdouble;
pub mod set;
pub mod zset;
