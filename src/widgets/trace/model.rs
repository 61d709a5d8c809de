//! The trace side view's data: the last finished requests of the page's
//! simulation, each as a sequence of steps between client, API, Redis and
//! the database (or an upstream service), at their virtual times. No Leptos.

use std::collections::VecDeque;

use playground_core::sim::{Completed, SpanKind};
use playground_core::time::Millis;

use crate::sim::SimState;
use crate::text::shorten;

/// Requests kept to choose from.
pub const KEEP: usize = 12;
const LABEL_CHARS: usize = 60;

/// The columns of the sequence, left to right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    Client = 1,
    Api = 2,
    Redis = 3,
    Db = 4,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Virtual ms since the request was sent.
    pub at: Millis,
    pub took: Millis,
    pub from: Lane,
    pub to: Lane,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    pub id: u64,
    pub request: String,
    pub status: u16,
    pub latency: Millis,
    pub steps: Vec<Step>,
}

#[derive(Default)]
pub struct Model {
    cursor: u64,
    recent: VecDeque<Trace>,
}

impl Model {
    pub fn new() -> Self {
        Model::default()
    }

    /// Takes the requests finished since the last call; true if any.
    pub fn sync(&mut self, st: &SimState) -> bool {
        let (done, cursor) = st.done.since(self.cursor);
        self.cursor = cursor;
        let mut changed = false;
        // Under load thousands finish between two syncs: only the last few count.
        let done: Vec<&Completed> = done.collect();
        for d in done.iter().skip(done.len().saturating_sub(KEEP)) {
            if self.recent.len() >= KEEP {
                self.recent.pop_front();
            }
            self.recent.push_back(trace(d));
            changed = true;
        }
        changed
    }

    /// Newest first.
    pub fn recent(&self) -> Vec<Trace> {
        self.recent.iter().rev().cloned().collect()
    }
}

/// The sequence of one request: in, each call out of the API, back out.
pub fn trace(d: &Completed) -> Trace {
    let request = shorten(&d.request.to_string(), LABEL_CHARS);
    let mut steps = Vec::with_capacity(d.trace.len() + 2);
    steps.push(Step {
        at: 0,
        took: 0,
        from: Lane::Client,
        to: Lane::Api,
        label: request.clone(),
    });
    for s in &d.trace {
        let (to, label) = match &s.kind {
            SpanKind::Redis(c) => (Lane::Redis, shorten(&c.text(), LABEL_CHARS)),
            SpanKind::Db(q) => (Lane::Db, shorten(q, LABEL_CHARS)),
            SpanKind::Upstream(q) => (Lane::Db, format!("upstream: {}", shorten(q, LABEL_CHARS))),
        };
        steps.push(Step {
            at: s.start.saturating_sub(d.started_at),
            took: s.end.saturating_sub(s.start),
            from: Lane::Api,
            to,
            label,
        });
    }
    let cache = d
        .response
        .cache
        .map(|c| format!(" ({})", c.as_str()))
        .unwrap_or_default();
    steps.push(Step {
        at: d.latency_ms(),
        took: 0,
        from: Lane::Api,
        to: Lane::Client,
        label: format!("{}{cache}", d.response.status),
    });
    Trace {
        id: d.id,
        request,
        status: d.response.status,
        latency: d.latency_ms(),
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use playground_core::api::Request;

    #[test]
    fn a_miss_goes_client_api_redis_db_and_back() {
        let mut st = SimState::new(1);
        let mut m = Model::new();
        st.engine.send(Request::get("/products/1"));
        st.advance_by(2_000);
        assert!(m.sync(&st));
        let t = m.recent().into_iter().next().expect("a trace");
        assert_eq!(t.request, "GET /products/1");
        let first = t.steps.first().expect("steps");
        assert_eq!(
            (first.from, first.to, first.at),
            (Lane::Client, Lane::Api, 0)
        );
        let db = t
            .steps
            .iter()
            .find(|s| s.to == Lane::Db)
            .expect("the miss queries the DB");
        assert!(db.took >= 100, "the database is slow: {db:?}");
        assert!(t
            .steps
            .iter()
            .any(|s| s.to == Lane::Redis && s.label.starts_with("GET product:1")));
        let last = t.steps.last().expect("steps");
        assert_eq!(
            (last.from, last.to, last.at),
            (Lane::Api, Lane::Client, t.latency)
        );
        assert_eq!(last.label, "200 (miss)");
        // Steps are in time order.
        assert!(t.steps.windows(2).all(|w| w[0].at <= w[1].at));
        assert!(!m.sync(&st), "nothing new");
    }

    #[test]
    fn only_the_last_few_are_kept_under_load() {
        let mut st = SimState::new(2);
        let mut m = Model::new();
        for _ in 0..100 {
            st.engine.send(Request::get("/health"));
        }
        st.advance_by(1_000);
        m.sync(&st);
        assert_eq!(m.recent().len(), KEEP);
        let ids: Vec<u64> = m.recent().iter().map(|t| t.id).collect();
        assert_eq!(ids.first(), Some(&100), "newest first");
    }
}
