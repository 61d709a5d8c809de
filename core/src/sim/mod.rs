//! The discrete-event engine: the store, the fake DB and the API on one
//! virtual clock, with as many requests in flight as the reader sends.

mod engine;
pub mod executor;
mod trace;

pub use engine::{Completed, Engine, InFlight};
pub use trace::{CommandLine, Span, SpanKind};
