//! The rate-limit widget outside the DOM: a few clients (one IP each) sending
//! `GET /products/:id`, steady traffic scheduled on the virtual clock, what
//! each client got back with its limiter's state (read from the store in
//! `limiter_state.rs`), and the side-by-side replay of the recorded traffic
//! through other algorithms. No Leptos here: natively tested.

use playground_core::api::limiter_compare::{self, Arrival};
use playground_core::api::rate_limit::{Algorithm, Limit};
use playground_core::api::{Method, Request};
use playground_core::sim::{Completed, Engine};
use playground_core::time::Millis;

use super::limiter_state::{limiter_state, LimiterState};
use crate::sim::{SimState, Timer};
use crate::text::shorten;

/// The clients, by the address they send in `x-forwarded-for`
/// (documentation ranges, so they never clash with the load test's 10.x).
pub const CLIENTS: [&str; 4] = ["203.0.113.7", "198.51.100.23", "192.0.2.44", "203.0.113.99"];
/// Requests the burst button sends at one instant.
pub const BURST: usize = 10;
/// The route name the article's middleware limits by.
pub const ROUTE: &str = "get_product";
/// The product every client asks for.
pub const PATH: &str = "/products/1";
/// Recorded arrivals kept for the replay (the newest).
pub const MAX_ARRIVALS: usize = 2_000;
/// Most steady sends one firing may make per client: should the clock ever
/// pass many due times at once, the client skips ahead rather than firing
/// them all at one instant.
pub const MAX_DUE_PER_FIRE: u64 = 100;
/// Arrivals drawn on the replay's time line.
pub const TIMELINE_MARKS: usize = 120;
/// Timestamps of the sliding log drawn (the newest).
pub const LOG_DOTS: usize = 200;

pub const MAX_RANGE: (u64, u64) = (1, 1_000);
pub const WINDOW_RANGE: (u64, u64) = (1, 3_600);
pub const RATE_RANGE: (u64, u64) = (1, 50);

/// A number the reader typed, clamped to `range`; the note says so when it was.
pub fn clamp_input(
    raw: &str,
    range: (u64, u64),
    name: &str,
) -> Result<(u64, Option<String>), String> {
    let v: i64 = raw.trim().parse().map_err(|_| {
        format!(
            "{name}: “{}” is not a whole number.",
            shorten(raw.trim(), 20)
        )
    })?;
    let (lo, hi) = range;
    let used = (v.max(0) as u64).clamp(lo, hi);
    let note =
        (used as i64 != v).then(|| format!("{name} {v} is outside {lo}–{hi}, so {used} is used."));
    Ok((used, note))
}

/// What the last answer to a client was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Last {
    /// The request's id: ids grow in the order requests were sent.
    pub id: u64,
    pub status: u16,
    pub at: Millis,
    /// The rate-limit headers only (`X-RateLimit-*`, `RateLimit*`, `Retry-After`).
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Last {
    /// The answer's rate-limit headers, one `Name: value` per line.
    pub fn headers_text(&self) -> String {
        if self.headers.is_empty() {
            return "no rate-limit headers".into();
        }
        self.headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `12.3 s`.
pub fn secs(ms: Millis) -> String {
    format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Counts {
    allowed: u64,
    limited: u64,
    failed: u64,
    last: Option<Last>,
}

/// Steady traffic of one client: the k-th request is due at
/// `start + k·1000/rate` (virtual ms), so no rounding drifts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Steady {
    start: Millis,
    sent: u64,
}

impl Steady {
    fn next_at(&self, rate: u64) -> Millis {
        self.start + self.sent * 1_000 / rate.max(1)
    }
}

/// One client row, as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientView {
    pub ip: &'static str,
    pub allowed: u64,
    pub limited: u64,
    pub failed: u64,
    pub steady: bool,
    pub last: Option<Last>,
    pub state: LimiterState,
}

/// One algorithm's answers to the recorded traffic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompareRow {
    pub algorithm: &'static str,
    pub allowed: usize,
    pub refused: usize,
    pub errors: usize,
    /// Allowed per client, in [`CLIENTS`] order.
    pub per_client: Vec<usize>,
    /// The newest arrivals on a time line: (position 0–1000, allowed).
    pub marks: Vec<(u16, bool)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompareView {
    pub requests: usize,
    pub span_ms: Millis,
    pub rows: Vec<CompareRow>,
}

/// Replays `arrivals` through each algorithm (fresh store each, the real
/// limiter code) and sums what each admitted, overall and per client.
pub fn compare_view(
    arrivals: &[Arrival],
    limit: Limit,
    atomic: bool,
    algorithms: &[Algorithm],
) -> CompareView {
    let c = limiter_compare::compare(arrivals, limit, atomic, algorithms);
    let first_mark = c.arrivals.len().saturating_sub(TIMELINE_MARKS);
    let (t0, t1) = (
        c.arrivals.get(first_mark).map_or(0, |a| a.at_ms),
        c.arrivals.last().map_or(0, |a| a.at_ms),
    );
    let span = t1.saturating_sub(t0);
    let rows = c
        .runs
        .iter()
        .map(|run| {
            let per_client = CLIENTS
                .iter()
                .map(|ip| {
                    c.arrivals
                        .iter()
                        .zip(&run.verdicts)
                        .filter(|(a, v)| a.identifier == *ip && v.allowed && v.error.is_none())
                        .count()
                })
                .collect();
            let marks = c
                .arrivals
                .iter()
                .zip(&run.verdicts)
                .skip(first_mark)
                .map(|(a, v)| {
                    let x = (a.at_ms.saturating_sub(t0) * 1_000)
                        .checked_div(span)
                        .map_or(500, |x| x.min(1_000));
                    (x as u16, v.allowed && v.error.is_none())
                })
                .collect();
            CompareRow {
                algorithm: run.algorithm.as_str(),
                allowed: run.allowed,
                refused: run.refused,
                errors: run.errors,
                per_client,
                marks,
            }
        })
        .collect();
    CompareView {
        requests: c.arrivals.len(),
        span_ms: span,
        rows,
    }
}

/// What changed since the last sync.
#[derive(Debug, Default)]
pub struct Sync {
    pub now: Millis,
    pub clients: Vec<ClientView>,
    /// The newest answer to any client: (client index, answer).
    pub latest: Option<(usize, Last)>,
    /// Recomputed replay, when the traffic or the settings changed.
    pub compare: Option<CompareView>,
    /// The clock went back: the simulation was reset.
    pub reset: bool,
}

/// What the widget remembers between syncs.
#[derive(Default)]
pub struct Model {
    counts: [Counts; 4],
    steady: [Option<Steady>; 4],
    rate: u64,
    arrivals: Vec<Arrival>,
    /// Arrivals recorded so far (the vector keeps the newest).
    sent_total: u64,
    done_cursor: u64,
    last_now: Millis,
    compared: Option<(u64, Limit, bool, Algorithm)>,
}

impl Model {
    pub fn new(rate: u64) -> Self {
        Model {
            rate: rate.clamp(RATE_RANGE.0, RATE_RANGE.1),
            ..Model::default()
        }
    }

    pub fn rate(&self) -> u64 {
        self.rate
    }

    /// A new steady rate; running clients keep their next send time.
    pub fn set_rate(&mut self, rate: u64) {
        let old = self.rate;
        self.rate = rate.clamp(RATE_RANGE.0, RATE_RANGE.1);
        for s in self.steady.iter_mut().flatten() {
            *s = Steady {
                start: s.next_at(old),
                sent: 0,
            };
        }
    }

    /// Turns a client's steady traffic on (first request due now) or off.
    pub fn set_steady(&mut self, client: usize, on: bool, now: Millis) {
        if let Some(s) = self.steady.get_mut(client) {
            *s = on.then_some(Steady {
                start: now,
                sent: 0,
            });
        }
    }

    pub fn is_steady(&self, client: usize) -> bool {
        self.steady.get(client).is_some_and(Option::is_some)
    }

    /// When a steady client's next request is due.
    pub fn next_send_at(&self, client: usize) -> Option<Millis> {
        self.steady
            .get(client)
            .copied()
            .flatten()
            .map(|s| s.next_at(self.rate))
    }

    /// The steady requests whose virtual send time has passed by `now`, as
    /// client indices (time order), marked as sent. After a jump longer
    /// than [`MAX_DUE_PER_FIRE`] requests, the rest is skipped, not owed.
    pub fn take_due(&mut self, now: Millis) -> Vec<usize> {
        let rate = self.rate;
        let mut due: Vec<(Millis, usize)> = Vec::new();
        for (i, slot) in self.steady.iter_mut().enumerate() {
            let Some(s) = slot else { continue };
            let mut n = 0;
            while s.next_at(rate) <= now {
                if n == MAX_DUE_PER_FIRE {
                    *s = Steady {
                        start: now + 1_000 / rate.max(1),
                        sent: 0,
                    };
                    break;
                }
                due.push((s.next_at(rate), i));
                s.sent += 1;
                n += 1;
            }
        }
        playground_core::sort::sort_by_u64_key(&mut due, |d| d.0);
        due.into_iter().map(|d| d.1).collect()
    }

    /// Sends `count` requests from `client` at the engine's now, recording
    /// them for the replay.
    pub fn send(&mut self, engine: &mut Engine, client: usize, count: usize) {
        let Some(ip) = CLIENTS.get(client) else {
            return;
        };
        let now = engine.now();
        for _ in 0..count {
            let mut req = Request::get(PATH);
            req.headers.push(("x-forwarded-for".into(), ip.to_string()));
            engine.send(req);
            self.arrivals.push(Arrival {
                at_ms: now,
                identifier: ip.to_string(),
            });
            self.sent_total += 1;
        }
        if self.arrivals.len() > MAX_ARRIVALS {
            let extra = self.arrivals.len() - MAX_ARRIVALS;
            self.arrivals.drain(..extra);
        }
    }

    pub fn arrivals(&self) -> &[Arrival] {
        &self.arrivals
    }

    /// Reads what happened since the last sync. `other` is the algorithm
    /// the replay compares the chosen one with.
    pub fn sync(&mut self, st: &SimState, other: Algorithm) -> Sync {
        let engine = &st.engine;
        let now = engine.now();
        let reset = now < self.last_now;
        if reset {
            // A fresh engine: its store holds none of this traffic.
            self.counts = Default::default();
            self.arrivals.clear();
            self.compared = None;
            // The steady clients restarted with the engine (`Timer::restart`).
        }
        self.last_now = now;
        let (done, cursor) = st.done.since(self.done_cursor);
        self.done_cursor = cursor;
        let mut latest = None;
        for d in done {
            let Some(i) = client_of(d) else { continue };
            let last = last_of(d);
            if let Some(c) = self.counts.get_mut(i) {
                match d.response.status {
                    429 => c.limited += 1,
                    500..=599 => c.failed += 1,
                    _ => c.allowed += 1,
                }
                // Answers of a burst arrive out of order (the request
                // whose INCR made the key also runs EXPIRE, one more
                // round trip): the card shows the newest request's answer,
                // whose headers carry the count the burst reached.
                if c.last.as_ref().is_none_or(|l| l.id < d.id) {
                    c.last = Some(last.clone());
                }
            }
            latest = Some((i, last));
        }
        let settings = engine.settings();
        let limit = settings.rate_limit;
        let atomic = settings.rate_limit_atomic;
        let clients = engine.with_store(|store| {
            CLIENTS
                .iter()
                .zip(&self.counts)
                .enumerate()
                .map(|(i, (ip, c))| ClientView {
                    ip,
                    allowed: c.allowed,
                    limited: c.limited,
                    failed: c.failed,
                    steady: self.is_steady(i),
                    last: c.last.clone(),
                    state: limiter_state(store, limit, atomic, ip, now),
                })
                .collect()
        });
        let sig = (self.sent_total, limit, atomic, other);
        let compare = (self.compared != Some(sig) && !self.arrivals.is_empty()).then(|| {
            self.compared = Some(sig);
            let algs: Vec<Algorithm> = if other == limit.algorithm {
                vec![limit.algorithm]
            } else {
                vec![limit.algorithm, other]
            };
            compare_view(&self.arrivals, limit, atomic, &algs)
        });
        Sync {
            now,
            clients,
            latest,
            compare,
            reset,
        }
    }
}

/// The steady clients run on the engine's clock: `SimState` stops the clock
/// at each due time, so each request is sent (and recorded for the replay)
/// exactly when due, at any speed.
impl Timer for Model {
    fn next_at(&self) -> Option<Millis> {
        (0..CLIENTS.len())
            .filter_map(|i| self.next_send_at(i))
            .min()
    }

    fn fire(&mut self, engine: &mut Engine) {
        for client in self.take_due(engine.now()) {
            self.send(engine, client, 1);
        }
    }

    fn skip_past(&mut self, until: Millis) {
        self.restart(until + 1_000 / self.rate.max(1));
    }

    fn restart(&mut self, now: Millis) {
        for s in self.steady.iter_mut().flatten() {
            *s = Steady {
                start: now,
                sent: 0,
            };
        }
    }
}

/// Which of the widget's clients sent a finished request, if any.
fn client_of(d: &Completed) -> Option<usize> {
    if d.request.method != Method::Get || !d.request.path.starts_with("/products/") {
        return None;
    }
    let ip = d
        .request
        .headers
        .iter()
        .find(|(n, _)| n == "x-forwarded-for")
        .map(|(_, v)| v.as_str())?;
    CLIENTS.iter().position(|c| *c == ip)
}

fn last_of(d: &Completed) -> Last {
    let headers = d
        .response
        .headers
        .iter()
        .filter(|(n, _)| {
            let n = n.to_ascii_lowercase();
            n.starts_with("x-ratelimit") || n.starts_with("ratelimit") || n == "retry-after"
        })
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    Last {
        id: d.id,
        status: d.response.status,
        at: d.finished_at,
        headers,
        body: shorten(&d.response.body, 200),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use playground_core::api::Settings;
    use std::cell::RefCell;
    use std::rc::Rc;

    fn settings(st: &mut SimState, f: impl FnOnce(&mut Settings)) {
        let mut s = st.engine.settings();
        f(&mut s);
        st.engine.set_settings(s);
    }

    fn limit_to(st: &mut SimState, algorithm: Algorithm, max: u64, window: u64) {
        settings(st, |s| {
            s.rate_limit = Limit {
                algorithm,
                max_requests: max,
                window_seconds: window,
            }
        });
    }

    #[test]
    fn steady_traffic_is_due_on_the_virtual_clock() {
        let mut m = Model::new(4);
        m.set_steady(1, true, 1_000);
        assert_eq!(m.next_send_at(1), Some(1_000));
        assert_eq!(m.take_due(999), Vec::<usize>::new());
        assert_eq!(m.take_due(1_000), vec![1]);
        // 4 req/s: due at 1250, 1500, 1750, 2000.
        assert_eq!(m.take_due(1_600), vec![1, 1]);
        assert_eq!(m.next_send_at(1), Some(1_750));
        m.set_steady(2, true, 1_700);
        // Due at 1700 (2), 1750 (1), 1950 (2), 2000 (1).
        assert_eq!(m.take_due(2_000), vec![2, 1, 2, 1]);
        m.set_steady(1, false, 2_000);
        assert_eq!(m.next_send_at(1), None);
        assert_eq!(m.take_due(2_250), vec![2]);
        // A rate change keeps the next send time, then paces by the new rate.
        m.set_rate(10);
        assert_eq!(m.next_send_at(2), Some(2_450));
        assert_eq!(m.take_due(2_650), vec![2, 2, 2]);
    }

    #[test]
    fn a_long_jump_skips_ahead_instead_of_flooding() {
        let mut m = Model::new(50);
        m.set_steady(0, true, 0);
        let due = m.take_due(3_600_000);
        assert_eq!(due.len() as u64, MAX_DUE_PER_FIRE);
        assert_eq!(m.next_send_at(0), Some(3_600_020));
    }

    #[test]
    fn inputs_are_clamped_with_a_note() {
        assert_eq!(clamp_input("5", MAX_RANGE, "max"), Ok((5, None)));
        let (v, note) = clamp_input("0", MAX_RANGE, "max").expect("a number");
        assert_eq!(v, 1);
        assert!(note.is_some_and(|n| n.contains("1–1000")));
        assert_eq!(
            clamp_input("99999", WINDOW_RANGE, "w").map(|r| r.0),
            Ok(3_600)
        );
        assert!(clamp_input("ten", MAX_RANGE, "max").is_err());
    }

    #[test]
    fn a_burst_is_limited_per_client_with_headers() {
        let mut st = SimState::new(1);
        limit_to(&mut st, Algorithm::ArticleFixed, 3, 10);
        let mut m = Model::new(1);
        m.send(&mut st.engine, 0, BURST);
        m.send(&mut st.engine, 1, 1);
        st.advance_by(2_000);
        let s = m.sync(&st, Algorithm::Gcra);
        let (a, b) = (&s.clients[0], &s.clients[1]);
        assert_eq!((a.allowed, a.limited), (3, 7));
        assert_eq!((b.allowed, b.limited), (1, 0));
        // A refused request's headers.
        let last_429 = st
            .done
            .iter()
            .rfind(|d| d.response.status == 429)
            .map(last_of)
            .expect("a 429");
        // One header per line, so a narrow card never breaks inside a name.
        let text = last_429.headers_text();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.contains(&"X-RateLimit-Limit: 3"), "{text}");
        assert!(lines.contains(&"X-RateLimit-Remaining: 0"), "{text}");
        assert!(
            lines.iter().any(|l| l.starts_with("Retry-After: ")),
            "{text}"
        );
        match &a.state {
            LimiterState::Counter {
                count,
                limit,
                left,
                immortal,
                ..
            } => {
                assert_eq!((*count, *limit, *immortal), (10, 3, false));
                // EXPIRE 10 at t = 0 (plus one round trip).
                assert!(
                    left.is_some_and(|l| (7_000..=8_001).contains(&l)),
                    "{left:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(b.state, LimiterState::Counter { count: 1, .. }));
        let cmp = s.compare.expect("traffic to compare");
        assert_eq!(cmp.requests, 11);
        assert_eq!(cmp.rows[0].algorithm, "article-fixed");
        assert_eq!(
            cmp.rows[0].allowed, 4,
            "the replay agrees with the live run"
        );
        assert_eq!(cmp.rows[0].per_client, vec![3, 1, 0, 0]);
        assert_eq!(cmp.rows[1].algorithm, "gcra");
        assert_eq!(cmp.rows[1].allowed, 4);
        assert!(
            m.sync(&st, Algorithm::Gcra).compare.is_none(),
            "unchanged, not recomputed"
        );
        assert!(m.sync(&st, Algorithm::SlidingLog).compare.is_some());
    }

    #[test]
    fn a_card_shows_the_answer_to_the_client_s_newest_request() {
        let mut st = SimState::new(1);
        limit_to(&mut st, Algorithm::ArticleFixed, 100, 60);
        let mut m = Model::new(1);
        m.send(&mut st.engine, 0, BURST);
        st.advance_by(2_000);
        // The burst's first request also ran EXPIRE (its INCR made the
        // key): one more round trip, so it was the last to answer.
        let arrival: Vec<u64> = st.done.iter().map(|d| d.id).collect();
        assert_ne!(arrival.last(), arrival.iter().max(), "{arrival:?}");
        let s = m.sync(&st, Algorithm::Gcra);
        let card = &s.clients[0];
        assert_eq!(card.allowed, 10);
        let text = card.last.as_ref().map(Last::headers_text);
        assert!(
            text.as_deref()
                .is_some_and(|t| t.contains("X-RateLimit-Remaining: 90")),
            "the tenth request's headers, not the first's: {text:?}"
        );
        // The panel of the latest answer keeps arrival order, with its time.
        let (_, latest) = s.latest.expect("an answer");
        assert!(latest
            .headers
            .contains(&("X-RateLimit-Remaining".into(), "99".into())));
    }

    #[test]
    fn the_crash_fault_leaves_an_immortal_key() {
        let mut st = SimState::new(1);
        limit_to(&mut st, Algorithm::ArticleFixed, 2, 5);
        settings(&mut st, |s| s.faults.crash_after_incr = true);
        let mut m = Model::new(1);
        for _ in 0..4 {
            m.send(&mut st.engine, 2, 1);
            st.advance_by(1_000);
        }
        // An hour later the key is still there.
        st.advance_by(3_600_000);
        let s = m.sync(&st, Algorithm::Gcra);
        let c = &s.clients[2];
        // 502 (crashed), pass, 429, 429.
        assert_eq!((c.failed, c.allowed, c.limited), (1, 1, 2));
        let d = c.state.describe();
        assert!(d.starts_with("immortal key: TTL -1"), "{d}");
        assert!(d.contains("blocked forever"), "{d}");
    }

    fn state_after(
        algorithm: Algorithm,
        atomic: bool,
        sends: &[Millis],
        at: Millis,
    ) -> LimiterState {
        let mut st = SimState::new(3);
        limit_to(&mut st, algorithm, 4, 10);
        settings(&mut st, |s| s.rate_limit_atomic = atomic);
        let mut m = Model::new(1);
        for &t in sends {
            let now = st.engine.now();
            st.advance_by(t - now);
            m.send(&mut st.engine, 0, 1);
        }
        let now = st.engine.now();
        st.advance_by(at - now);
        let limit = st.engine.settings().rate_limit;
        st.engine
            .with_store(|s| limiter_state(s, limit, atomic, CLIENTS[0], at))
    }

    #[test]
    fn states_parse_from_the_store_for_both_implementations() {
        for atomic in [true, false] {
            // Sliding counter: 3 in window 0, 1 in window 1, read at 12.5 s:
            // 3 × 75% + 1 = 3.
            let s = state_after(
                Algorithm::SlidingCounter,
                atomic,
                &[1_000, 2_000, 3_000, 11_000],
                12_500,
            );
            assert_eq!(
                s,
                LimiterState::Sliding {
                    prev: 3,
                    cur: 1,
                    prev_weight: 0.75,
                    weighted: 3,
                    limit: 4,
                    left: 7_500
                },
                "atomic {atomic}"
            );
            // Sliding log: times in (now - 10 s, now].
            let s = state_after(
                Algorithm::SlidingLog,
                atomic,
                &[1_000, 5_000, 9_000],
                12_000,
            );
            match s {
                LimiterState::Log {
                    times, from, count, ..
                } => {
                    assert_eq!((from, count), (2_000, 2), "atomic {atomic}");
                    assert_eq!(times, vec![5_000, 9_000]);
                }
                other => panic!("{other:?}"),
            }
            // Token bucket: 4 tokens per 10 s (one back every 2.5 s); three
            // taken near 0 s, read at 5 s: 1 + 2 = 3. (Spaced, because the
            // client-side version at one instant races: all three read 4.)
            let s = state_after(Algorithm::TokenBucket, atomic, &[0, 100, 200], 5_000);
            match s {
                LimiterState::Bucket { tokens, capacity } => {
                    assert_eq!(capacity, 4);
                    assert!((tokens - 3.0).abs() < 0.01, "atomic {atomic}: {tokens}");
                }
                other => panic!("{other:?}"),
            }
            // GCRA: T = 2.5 s; two requests near 0 put the TAT at 5 s.
            let s = state_after(Algorithm::Gcra, atomic, &[0, 10], 1_000);
            assert_eq!(
                s,
                LimiterState::Gcra {
                    ahead: 4_000,
                    tau: 10_000,
                    interval: 2_500,
                    left: 2
                },
                "atomic {atomic}"
            );
            // Aligned windows: a counter per window, reset at the boundary.
            let s = state_after(
                Algorithm::FixedAligned,
                atomic,
                &[9_000, 10_500, 11_000],
                12_000,
            );
            assert!(
                matches!(
                    s,
                    LimiterState::Counter {
                        count: 2,
                        left: Some(8_000),
                        immortal: false,
                        ..
                    }
                ),
                "{s:?}"
            );
        }
        let none = state_after(Algorithm::FixedAtomic, true, &[], 1_000);
        assert_eq!(
            none.describe(),
            "no key: 0/4, the next request starts a window"
        );
    }

    #[test]
    fn compare_shows_the_boundary_burst() {
        // 5 per 10 s; five at 9 s and five at 10 s.
        let mut arrivals = Vec::new();
        for t in [9_000, 10_000] {
            for _ in 0..5 {
                arrivals.push(Arrival {
                    at_ms: t,
                    identifier: CLIENTS[1].to_string(),
                });
            }
        }
        let limit = Limit {
            algorithm: Algorithm::FixedAligned,
            max_requests: 5,
            window_seconds: 10,
        };
        let v = compare_view(
            &arrivals,
            limit,
            true,
            &[Algorithm::FixedAligned, Algorithm::SlidingLog],
        );
        assert_eq!(
            v.rows.iter().map(|r| r.allowed).collect::<Vec<_>>(),
            vec![10, 5]
        );
        assert_eq!(v.rows[1].per_client, vec![0, 5, 0, 0]);
        assert_eq!(v.span_ms, 1_000);
        assert_eq!(v.rows[1].marks.first(), Some(&(0, true)));
        assert_eq!(v.rows[1].marks.last(), Some(&(1_000, false)));
    }

    #[test]
    fn reset_clears_the_recorded_traffic() {
        let mut st = SimState::new(1);
        let m = Rc::new(RefCell::new(Model::new(2)));
        st.add_timer(Box::new(m.clone()));
        m.borrow_mut().set_steady(0, true, 0);
        st.advance_by(1_200);
        st.advance_by(1_000);
        let s = m.borrow_mut().sync(&st, Algorithm::Gcra);
        // Sent at 0, 500, 1000, 1500 and 2000, each answered by 2200.
        let at: Vec<Millis> = m.borrow().arrivals().iter().map(|a| a.at_ms).collect();
        assert_eq!(at, [0, 500, 1_000, 1_500, 2_000]);
        assert_eq!(s.clients[0].allowed, 5);
        st.reset();
        let s = m.borrow_mut().sync(&st, Algorithm::Gcra);
        assert!(s.reset);
        assert_eq!(s.clients[0].allowed, 0);
        assert!(m.borrow().arrivals().is_empty());
        // Steady traffic goes on from the fresh engine's zero.
        assert_eq!(m.borrow().next_send_at(0), Some(0));
    }

    /// (allowed, refused) per client, and each request's (client, sent at).
    type Run = (Vec<(u64, u64)>, Vec<(String, Millis)>);

    /// Two steady clients at `rate` req/s for 5 virtual seconds, the clock
    /// moved in frames of `frame` ms: what each got, and when each request
    /// left (client, virtual ms).
    fn steady_run(algorithm: Algorithm, rate: u64, frame: Millis) -> Run {
        let mut st = SimState::new(5);
        limit_to(&mut st, algorithm, 10, 1);
        let mut m = Model::new(rate);
        m.set_steady(0, true, 0);
        m.set_steady(2, true, 0);
        st.run_frames(&mut m, frame, 5_000, |_, _| {});
        m.set_steady(0, false, 5_000);
        m.set_steady(2, false, 5_000);
        st.advance_by(2_000);
        let s = m.sync(&st, algorithm);
        let got = s.clients.iter().map(|c| (c.allowed, c.limited)).collect();
        let sent = m
            .arrivals()
            .iter()
            .map(|a| (a.identifier.clone(), a.at_ms))
            .collect();
        (got, sent)
    }

    #[test]
    fn steady_requests_leave_when_due_whatever_the_frame_length() {
        // At 50× one frame moves the clock up to MAX_STEP_MS; before the
        // clock stopped at each due time, such a frame sent its 50 requests
        // at one instant and GCRA refused 40 of them.
        let (got, sent) = steady_run(Algorithm::Gcra, 10, crate::sim::state::MAX_STEP_MS);
        assert_eq!(
            got,
            [(51, 0), (0, 0), (51, 0), (0, 0)],
            "10 req/s under a 10/s GCRA: none refused"
        );
        let times: Vec<Millis> = sent
            .iter()
            .filter(|(ip, _)| ip == CLIENTS[0])
            .map(|(_, t)| *t)
            .collect();
        assert_eq!(times, (0..=50).map(|k| k * 100).collect::<Vec<_>>());
        // The same traffic in 16 ms frames (60 fps at 1×) and in 1 s ones.
        assert_eq!(
            steady_run(Algorithm::Gcra, 10, 16),
            (got.clone(), sent.clone())
        );
        assert_eq!(steady_run(Algorithm::Gcra, 10, 1_000), (got, sent));
        // Over the limit, the answers do not depend on the frame either.
        let fast = steady_run(Algorithm::SlidingLog, 25, crate::sim::state::MAX_STEP_MS);
        assert!(
            fast.0[0].1 > 0,
            "25 req/s over a 10/s limit is refused: {:?}",
            fast.0
        );
        assert_eq!(steady_run(Algorithm::SlidingLog, 25, 16), fast);
    }
}
