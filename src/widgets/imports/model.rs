//! The import-status widget outside the DOM: starting imports (`POST
//! /imports` with an `Idempotency-Key`), the client's polling of
//! `GET /imports/:jobId` on the virtual clock, what each poll saw, and the
//! status key's TTL read from the store. No Leptos here: natively tested.

use std::collections::{HashMap, VecDeque};

use playground_core::api::{keys, Method, Request};
use playground_core::json;
use playground_core::sim::{Completed, Engine};
use playground_core::time::{format_clock, Millis};

use crate::sim::{SimState, Timer};
use crate::text::shorten;

/// The client polls each import's status this often (virtual time).
pub const POLL_MS: Millis = 1_000;
/// Poll rows kept (newest first); repeats of the same answer fold into one.
pub const POLL_ROWS: usize = 12;
/// Imports kept in the table (the oldest leave first).
pub const MAX_IMPORTS: usize = 20;
pub const ROWS_RANGE: (u64, u64) = (1, 100_000);
pub const TTL_RANGE: (u64, u64) = (1, 86_400);

/// One import as the client knows it from its polls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportView {
    /// Local number, 1 for the first import started here.
    pub n: usize,
    pub job_id: String,
    pub idem_key: String,
    /// `queued`, `processing`, `completed`, `failed`, or `gone` after a 404.
    pub status: String,
    pub percent: u64,
    pub rows_done: u64,
    pub rows_total: u64,
    pub error: Option<String>,
    pub polls: u64,
    /// Retries with the same key that got this job back.
    pub retries: u64,
    /// The status key in the store: time left, `None` without the key.
    pub ttl_left: Option<Millis>,
    /// The key is there but past its TTL (deleted on the next access).
    pub expired: bool,
    pub ttl_seconds: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollRow {
    pub seq: u64,
    pub at: Millis,
    pub n: usize,
    pub status: u16,
    pub summary: String,
    /// Consecutive identical answers folded into this row.
    pub count: u64,
}

impl PollRow {
    pub fn line(&self) -> String {
        let times = if self.count > 1 {
            format!(" ×{}", self.count)
        } else {
            String::new()
        };
        format!(
            "{} · import {} → {} {}{times}",
            format_clock(self.at),
            self.n,
            self.status,
            self.summary
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pending {
    /// `POST /imports`; `retry` when it reused an earlier key.
    Start { retry: bool },
    /// `GET /imports/:id` for import `n`, sent at `at`.
    Poll { n: usize, at: Millis },
}

struct Tracked {
    view: ImportView,
    next_poll_at: Option<Millis>,
}

/// What changed since the last sync.
#[derive(Debug, Default)]
pub struct Sync {
    pub now: Millis,
    pub imports: Vec<ImportView>,
    pub polls: Option<Vec<PollRow>>,
    /// What the last start or retry got back, in words.
    pub outcome: Option<String>,
    pub reset: bool,
}

#[derive(Default)]
pub struct Model {
    imports: Vec<Tracked>,
    polls: VecDeque<PollRow>,
    poll_seq: u64,
    pending: HashMap<u64, Pending>,
    next_key: u64,
    /// The last start's key and body, for the retry.
    last_start: Option<(String, String)>,
    done_cursor: u64,
    last_now: Millis,
    started: usize,
}

/// A short job id for display: `3f2a9c1e…`.
pub fn short_id(id: &str) -> String {
    match id.char_indices().nth(8) {
        Some((cut, _)) => format!("{}…", &id[..cut]),
        None => id.to_string(),
    }
}

/// The body of `POST /imports`.
pub fn start_body(rows: u64, fail: bool) -> String {
    let rows = rows.clamp(ROWS_RANGE.0, ROWS_RANGE.1);
    let mut o = json::Object::new().int("rows", rows as i64);
    if fail {
        // Halfway, so the bar stops in the middle.
        o = o.int("failAtRow", (rows / 2 + 1).min(rows) as i64);
    }
    o.finish()
}

impl Model {
    pub fn new() -> Self {
        Model::default()
    }

    /// The key the retry button would reuse.
    pub fn last_key(&self) -> Option<&str> {
        self.last_start.as_ref().map(|(k, _)| k.as_str())
    }

    /// `POST /imports` with a new `Idempotency-Key`.
    pub fn start(&mut self, engine: &mut Engine, body: String) {
        self.next_key += 1;
        let key = format!("import-{}", self.next_key);
        self.post(engine, key.clone(), body.clone(), false);
        self.last_start = Some((key, body));
    }

    /// The same request again, same key and body (a client retrying after
    /// a timeout). False if nothing was started yet.
    pub fn retry(&mut self, engine: &mut Engine) -> bool {
        let Some((key, body)) = self.last_start.clone() else {
            return false;
        };
        self.post(engine, key, body, true);
        true
    }

    fn post(&mut self, engine: &mut Engine, key: String, body: String, retry: bool) {
        let mut req = Request::new(Method::Post, "/imports");
        req.headers.push(("idempotency-key".into(), key));
        req.body = body;
        let id = engine.send(req);
        self.pending.insert(id, Pending::Start { retry });
    }

    /// When any import's next poll is due.
    pub fn next_poll_at(&self) -> Option<Millis> {
        self.imports.iter().filter_map(|t| t.next_poll_at).min()
    }

    /// Sends the polls that are due by the engine's now; each import has
    /// at most one poll in flight (the next is scheduled by its answer).
    pub fn send_due(&mut self, engine: &mut Engine) {
        let now = engine.now();
        for t in &mut self.imports {
            if t.next_poll_at.is_some_and(|at| at <= now) {
                t.next_poll_at = None;
                let id = engine.send(Request::get(format!("/imports/{}", t.view.job_id)));
                self.pending.insert(
                    id,
                    Pending::Poll {
                        n: t.view.n,
                        at: now,
                    },
                );
            }
        }
    }

    pub fn sync(&mut self, st: &SimState) -> Sync {
        let engine = &st.engine;
        let now = engine.now();
        let reset = now < self.last_now;
        if reset {
            // A fresh engine: none of these jobs exist in it, and its
            // request ids start again.
            self.imports.clear();
            self.pending.clear();
            self.polls.clear();
            self.last_start = None;
        }
        self.last_now = now;
        let (done, cursor) = st.done.since(self.done_cursor);
        self.done_cursor = cursor;
        let mut outcome = None;
        let mut polled = false;
        for d in done {
            let Some(p) = self.pending.remove(&d.id) else {
                continue;
            };
            match p {
                Pending::Start { retry } => {
                    if !(d.request.method == Method::Post && d.request.path == "/imports") {
                        continue;
                    }
                    outcome = Some(self.started(d, retry));
                }
                Pending::Poll { n, at } => {
                    polled = true;
                    self.polled(d, n, at);
                }
            }
        }
        let ttl = engine.settings().imports.status_ttl_seconds;
        let imports = engine.with_store(|s| {
            self.imports
                .iter()
                .map(|t| {
                    let mut v = t.view.clone();
                    let entry = s.keyspace.peek(keys::import_status(&v.job_id).as_bytes());
                    v.expired = entry.is_some_and(|e| e.is_expired(now));
                    v.ttl_left = entry
                        .and_then(|e| e.expire_at())
                        .map(|at| at.saturating_sub(now));
                    v.ttl_seconds = ttl;
                    v
                })
                .collect()
        });
        Sync {
            now,
            imports,
            polls: polled.then(|| self.polls.iter().cloned().collect()),
            outcome,
            reset,
        }
    }

    fn started(&mut self, d: &Completed, retry: bool) -> String {
        let status = d.response.status;
        let body = json::parse(&d.response.body).ok();
        let job_id = body
            .as_ref()
            .and_then(|b| b.get("jobId"))
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let replayed = d
            .response
            .headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("idempotent-replayed") && v == "true");
        let key = d
            .request
            .headers
            .iter()
            .find(|(n, _)| n == "idempotency-key")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let known = job_id
            .as_ref()
            .and_then(|id| self.imports.iter_mut().find(|t| &t.view.job_id == id));
        match (status, job_id.as_deref(), known) {
            (202, Some(id), None) if !replayed => {
                self.started += 1;
                let n = self.started;
                self.imports.push(Tracked {
                    view: ImportView {
                        n,
                        job_id: id.to_string(),
                        idem_key: key.clone(),
                        status: "queued".into(),
                        percent: 0,
                        rows_done: 0,
                        rows_total: 0,
                        error: None,
                        polls: 0,
                        retries: 0,
                        ttl_left: None,
                        expired: false,
                        ttl_seconds: 0,
                    },
                    next_poll_at: Some(d.finished_at + POLL_MS),
                });
                if self.imports.len() > MAX_IMPORTS {
                    self.imports.remove(0);
                }
                let again = if retry {
                    " (a retry, but the first request had not reached the server)"
                } else {
                    ""
                };
                format!(
                    "202 Accepted: import {n} started as job {}, Idempotency-Key {key}{again}.",
                    short_id(id)
                )
            }
            (_, Some(id), Some(t)) => {
                t.view.retries += 1;
                let n = t.view.n;
                if status == 409 {
                    format!(
                        "409 Conflict: Idempotency-Key {key} belongs to import {n} (job {}), still running. No second import was started.",
                        short_id(id)
                    )
                } else {
                    format!(
                        "{status}{}: the server replayed its first answer, the same job {} (import {n}). No second import was started.",
                        if replayed { " with Idempotent-Replayed: true" } else { "" },
                        short_id(id)
                    )
                }
            }
            (409, None, _) => {
                format!("409 Conflict: Idempotency-Key {key} is still being processed.")
            }
            _ => format!("{status}: {}", shorten(&d.response.body, 200)),
        }
    }

    fn polled(&mut self, d: &Completed, n: usize, sent_at: Millis) {
        let Some(t) = self.imports.iter_mut().find(|t| t.view.n == n) else {
            return;
        };
        let v = &mut t.view;
        v.polls += 1;
        let status = d.response.status;
        let summary = match status {
            200 => {
                let data = json::parse(&d.response.body).ok();
                let data = data.as_ref().and_then(|b| b.get("data"));
                let int = |k: &str| {
                    data.and_then(|d| d.get(k))
                        .and_then(|x| x.as_i64())
                        .unwrap_or(0)
                        .max(0) as u64
                };
                if let Some(s) = data.and_then(|d| d.get("status")).and_then(|s| s.as_str()) {
                    v.status = s.to_string();
                }
                v.percent = int("percent").min(100);
                v.rows_done = int("rowsDone");
                v.rows_total = int("rowsTotal");
                v.error = data
                    .and_then(|d| d.get("error"))
                    .and_then(|e| e.as_str())
                    .map(|e| shorten(e, 120));
                format!("{} {}%", v.status, v.percent)
            }
            404 => {
                v.status = "gone".into();
                "Import job not found".to_string()
            }
            _ => shorten(&d.response.body, 60),
        };
        // A dashboard keeps checking until the job is gone.
        t.next_poll_at = (status != 404).then_some(sent_at + POLL_MS);
        match self.polls.front_mut() {
            Some(p) if p.n == n && p.status == status && p.summary == summary => {
                p.count += 1;
                p.at = d.finished_at;
            }
            _ => {
                self.poll_seq += 1;
                self.polls.push_front(PollRow {
                    seq: self.poll_seq,
                    at: d.finished_at,
                    n,
                    status,
                    summary,
                    count: 1,
                });
                self.polls.truncate(POLL_ROWS);
            }
        }
    }
}

/// The polls run on the page's clock: it stops at each poll's due time, so
/// a poll leaves exactly `POLL_MS` after the one before at any speed (the
/// next is known once the widget has read the answer, a few virtual ms
/// after the poll; only a frame longer than `POLL_MS` sends one late).
impl Timer for Model {
    fn next_at(&self) -> Option<Millis> {
        self.next_poll_at()
    }

    fn fire(&mut self, engine: &mut Engine) {
        self.send_due(engine);
    }

    fn skip_past(&mut self, until: Millis) {
        for t in &mut self.imports {
            if t.next_poll_at.is_some_and(|at| at <= until) {
                t.next_poll_at = Some(until + POLL_MS);
            }
        }
    }

    fn restart(&mut self, _now: Millis) {
        // The fresh engine has none of these jobs; `sync` clears them.
        for t in &mut self.imports {
            t.next_poll_at = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use playground_core::api::Settings;

    fn with_ttl(ttl: u64) -> SimState {
        let mut st = SimState::new(5);
        let mut s: Settings = st.engine.settings();
        s.imports.status_ttl_seconds = ttl;
        st.engine.set_settings(s);
        st
    }

    /// Moves the clock in 100 ms frames with the model on it as a timer,
    /// syncing after each frame as the widget does.
    fn run(st: &mut SimState, m: &mut Model, ms: Millis, log: &mut Vec<Sync>) {
        run_in(st, m, ms, 100, log);
    }

    fn run_in(st: &mut SimState, m: &mut Model, ms: Millis, frame: Millis, log: &mut Vec<Sync>) {
        let end = st.engine.now() + ms;
        st.run_frames(m, frame, end, |m, st| log.push(m.sync(st)));
    }

    #[test]
    fn polls_leave_one_second_apart_at_any_speed() {
        // 100 ms frames (10× at 60 fps) and 800 ms ones (50×): the same
        // polls at the same virtual times, each POLL_MS after the last.
        let polls_sent = |frame| {
            let mut st = with_ttl(600);
            let mut m = Model::new();
            m.start(&mut st.engine, start_body(10_000, false));
            run_in(&mut st, &mut m, 8_000, frame, &mut Vec::new());
            let mut at: Vec<Millis> = st
                .done
                .iter()
                .filter(|d| d.request.path.starts_with("/imports/"))
                .map(|d| d.started_at)
                .collect();
            at.sort_unstable();
            at
        };
        let at = polls_sent(100);
        assert_eq!(at.len(), 7, "{at:?}");
        assert!(at.windows(2).all(|w| w[1] - w[0] == POLL_MS), "{at:?}");
        assert_eq!(polls_sent(800), at);
    }

    #[test]
    fn an_import_is_polled_to_completion_then_to_a_404() {
        let mut st = with_ttl(5);
        let mut m = Model::new();
        m.start(&mut st.engine, start_body(1_000, false));
        let mut log = Vec::new();
        run(&mut st, &mut m, 200, &mut log);
        let outcome = log
            .iter()
            .find_map(|s| s.outcome.clone())
            .expect("an answer");
        assert!(
            outcome.starts_with("202 Accepted: import 1 started"),
            "{outcome}"
        );
        let first = log
            .last()
            .and_then(|s| s.imports.first().cloned())
            .expect("a row");
        assert_eq!(first.status, "queued");
        assert_eq!(first.idem_key, "import-1");
        // The key was written with EX 5 at about 0 s.
        assert!(
            first.ttl_left.is_some_and(|t| (4_700..=5_000).contains(&t)),
            "{:?}",
            first.ttl_left
        );
        // The first poll one second after the answer (a few ms after 0).
        assert!(
            m.next_poll_at()
                .is_some_and(|t| (1_001..1_010).contains(&t)),
            "{:?}",
            m.next_poll_at()
        );

        // 1000 rows, 250 per 500 ms batch after a 500 ms pickup: done at
        // about 2.5 s. Polls at 1 s, 2 s, 3 s…
        run(&mut st, &mut m, 3_000, &mut log);
        let row = log
            .last()
            .and_then(|s| s.imports.first().cloned())
            .expect("a row");
        assert_eq!(
            (row.status.as_str(), row.percent, row.rows_done),
            ("completed", 100, 1_000)
        );
        let seen: Vec<String> = log
            .iter()
            .filter_map(|s| s.polls.as_ref())
            .flat_map(|p| p.first().map(|r| r.summary.clone()))
            .collect();
        assert!(seen.iter().any(|s| s.starts_with("processing")), "{seen:?}");
        // The last write (completed, ~2.5 s) re-set the TTL: gone at ~7.5 s,
        // and the first poll after that gets a 404. Polling then stops.
        run(&mut st, &mut m, 6_000, &mut log);
        let s = log.last().expect("synced");
        let row = s.imports.first().expect("a row");
        assert_eq!(row.status, "gone");
        assert_eq!(row.ttl_left, None, "the key is gone from the store");
        assert_eq!(m.next_poll_at(), None, "no more polls after the 404");
        let polls: Vec<PollRow> = log
            .iter()
            .rev()
            .find_map(|s| s.polls.clone())
            .expect("polls");
        assert_eq!(polls[0].status, 404);
        assert_eq!(
            (polls[1].status, polls[1].summary.as_str()),
            (200, "completed 100%")
        );
        assert!(polls[1].count >= 4, "repeats fold: {:?}", polls[1]);
        let polls_total = row.polls;
        run(&mut st, &mut m, 3_000, &mut log);
        assert_eq!(
            log.last().and_then(|s| s.imports.first()).map(|r| r.polls),
            Some(polls_total)
        );
    }

    #[test]
    fn a_retry_with_the_same_key_gets_the_same_job() {
        let mut st = with_ttl(600);
        let mut m = Model::new();
        assert!(!m.retry(&mut st.engine), "nothing to retry yet");
        m.start(&mut st.engine, start_body(500, true));
        let mut log = Vec::new();
        run(&mut st, &mut m, 300, &mut log);
        // While it runs: 409, same job.
        assert!(m.retry(&mut st.engine));
        run(&mut st, &mut m, 300, &mut log);
        let outcomes: Vec<String> = log.iter().filter_map(|s| s.outcome.clone()).collect();
        assert_eq!(outcomes.len(), 2, "{outcomes:?}");
        assert!(outcomes[1].starts_with("409 Conflict"), "{outcomes:?}");
        assert!(outcomes[1].contains("import 1"));
        // Fails at row 251 (halfway): 250 rows done, then failed.
        run(&mut st, &mut m, 3_000, &mut log);
        let row = log
            .last()
            .and_then(|s| s.imports.first().cloned())
            .expect("a row");
        assert_eq!(
            (row.status.as_str(), row.rows_done, row.percent),
            ("failed", 250, 50)
        );
        assert!(
            row.error.as_deref().is_some_and(|e| e.contains("Row 251")),
            "{:?}",
            row.error
        );
        // Finished: the retry gets the first answer replayed.
        assert!(m.retry(&mut st.engine));
        run(&mut st, &mut m, 300, &mut log);
        let last = log
            .iter()
            .rev()
            .find_map(|s| s.outcome.clone())
            .expect("an outcome");
        assert!(last.contains("Idempotent-Replayed: true"), "{last}");
        assert!(last.contains("No second import"), "{last}");
        let s = log.last().expect("synced");
        assert_eq!(s.imports.len(), 1, "still one import");
        assert_eq!(s.imports[0].retries, 2);
        // A new start is a new key and a new job.
        m.start(&mut st.engine, start_body(10, false));
        run(&mut st, &mut m, 300, &mut log);
        let s = log.last().expect("synced");
        assert_eq!(s.imports.len(), 2);
        assert_eq!(s.imports[1].idem_key, "import-2");
        assert_ne!(s.imports[0].job_id, s.imports[1].job_id);
    }

    #[test]
    fn reset_forgets_the_jobs() {
        let mut st = with_ttl(60);
        let mut m = Model::new();
        m.start(&mut st.engine, start_body(10, false));
        let mut log = Vec::new();
        run(&mut st, &mut m, 500, &mut log);
        assert_eq!(log.last().map(|s| s.imports.len()), Some(1));
        st.reset();
        let s = m.sync(&st);
        assert!(s.reset);
        assert!(s.imports.is_empty());
        assert_eq!(m.last_key(), None);
    }

    #[test]
    fn bodies_and_ids() {
        assert_eq!(start_body(1_000, false), r#"{"rows":1000}"#);
        assert_eq!(start_body(9, true), r#"{"rows":9,"failAtRow":5}"#);
        assert_eq!(start_body(0, false), r#"{"rows":1}"#);
        assert_eq!(short_id("0123456789abcdef"), "01234567…");
        assert_eq!(short_id("abc"), "abc");
    }
}
