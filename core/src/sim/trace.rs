//! What a request spent its time on: one span per store command or DB query.

use crate::time::Millis;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// A store round trip; the command line as typed.
    Redis(String),
    /// A database query; what was asked.
    Db(String),
    /// A call to another service (the MailPace case's signing-key service).
    Upstream(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub kind: SpanKind,
    pub start: Millis,
    pub end: Millis,
}

impl Span {
    pub fn label(&self) -> &str {
        match &self.kind {
            SpanKind::Redis(s) | SpanKind::Db(s) | SpanKind::Upstream(s) => s,
        }
    }

    pub fn is_db(&self) -> bool {
        matches!(self.kind, SpanKind::Db(_))
    }
}
