//! The service-cache widget (the MailPace case) outside the DOM: each
//! "send email" fetches the domain's signing key through
//! `GET /domains/:domain/signing-key` (cache-aside over a ~150 ms service),
//! and the reader can rotate the key upstream or force the cache's
//! invalidation. The model turns finished requests into results with their
//! timing, remembers the newest key the upstream is known to have, and reads
//! each domain's cached key and TTL from the store with `peek`.

use std::collections::{BTreeMap, VecDeque};

use playground_core::api::{keys, Method, Request};
use playground_core::json;
use playground_core::sim::{Completed, Engine, SpanKind};
use playground_core::time::{format_clock, Millis};

use crate::sim::SimState;

pub const DOMAINS: [&str; 3] = ["acme.example", "shop.example", "news.example"];
/// Rows kept in the request log (newest first).
pub const LOG_ROWS: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// "Send email": fetch the signing key.
    Send,
    /// `DELETE …/signing-key/cache`.
    Invalidate,
    /// `PUT …/signing-key`: the upstream issues a new key.
    Rotate,
}

/// The request an action sends for `domain`.
pub fn request(action: Action, domain: &str) -> Request {
    match action {
        Action::Send => Request::get(format!("/domains/{domain}/signing-key")),
        Action::Invalidate => Request::delete(format!("/domains/{domain}/signing-key/cache")),
        Action::Rotate => Request::new(Method::Put, format!("/domains/{domain}/signing-key")),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanRow {
    pub label: String,
    pub offset_ms: Millis,
    pub duration_ms: Millis,
    pub upstream: bool,
}

/// The answer to one "send email".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultView {
    pub id: u64,
    pub domain: String,
    pub status: u16,
    /// `hit` or `miss`.
    pub cache: Option<&'static str>,
    pub key: String,
    pub latency_ms: Millis,
    pub spans: Vec<SpanRow>,
    /// The upstream is known to hold another key now (rotated since).
    pub stale_vs: Option<String>,
}

/// One domain: its cached key in the store and the upstream's newest known key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainView {
    pub domain: &'static str,
    pub cached: Option<String>,
    pub ttl_left: Option<Millis>,
    /// Cached, but past its TTL (deleted on the next access).
    pub expired: bool,
    pub upstream: Option<String>,
}

impl DomainView {
    pub fn stale(&self) -> bool {
        !self.expired && matches!((&self.cached, &self.upstream), (Some(c), Some(u)) if c != u)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    pub id: u64,
    pub line: String,
}

#[derive(Debug, Default)]
pub struct Sync {
    pub now: Millis,
    /// "Send email" answers that finished since the last sync.
    pub finished: Vec<ResultView>,
    pub log: Option<Vec<LogRow>>,
    pub domains: Vec<DomainView>,
    pub reset: bool,
}

#[derive(Default)]
pub struct Model {
    done_cursor: u64,
    last_now: Millis,
    /// The newest key each domain's upstream is known to have (from a miss's
    /// fetch or a rotation's answer).
    upstream: BTreeMap<String, String>,
    log: VecDeque<LogRow>,
}

fn domain_of(path: &str) -> Option<&str> {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next()) {
        (Some("domains"), Some(d)) if !d.is_empty() => Some(d),
        _ => None,
    }
}

fn signing_key(body: &str) -> Option<String> {
    let v = json::parse(body).ok()?;
    let k = v.get("data")?.get("signingKey")?.as_str()?;
    Some(k.chars().take(80).collect())
}

impl Model {
    pub fn new() -> Self {
        Model::default()
    }

    pub fn act(&mut self, engine: &mut Engine, action: Action, domain: &str) {
        engine.send(request(action, domain));
    }

    pub fn sync(&mut self, st: &SimState) -> Sync {
        let engine = &st.engine;
        let now = engine.now();
        let reset = now < self.last_now;
        if reset {
            // A fresh engine: a fresh upstream (every key back at v1).
            self.upstream.clear();
            self.log.clear();
        }
        self.last_now = now;
        let (done, cursor) = st.done.since(self.done_cursor);
        self.done_cursor = cursor;
        let mut finished = Vec::new();
        let mut logged = false;
        for d in done {
            let Some(domain) = domain_of(&d.request.path) else {
                continue;
            };
            let domain = domain.to_string();
            let key = signing_key(&d.response.body);
            let cache = d.response.cache.map(|c| c.as_str());
            let line = match (d.request.method, d.response.status, &key) {
                (Method::Get, 200, Some(k)) => {
                    format!("{} {k}", cache.unwrap_or("?").to_ascii_uppercase())
                }
                (Method::Put, 200, Some(k)) => format!("rotated upstream: now {k}"),
                (Method::Delete, 200, _) => "cache deleted".into(),
                (_, s, _) => format!(
                    "{s} {}",
                    d.response.body.chars().take(60).collect::<String>()
                ),
            };
            self.log.push_front(LogRow {
                id: d.id,
                line: format!(
                    "{} · {} → {line} · {} ms",
                    format_clock(d.finished_at),
                    d.request,
                    d.latency_ms()
                ),
            });
            self.log.truncate(LOG_ROWS);
            logged = true;
            match (d.request.method, d.response.status, key) {
                (Method::Put, 200, Some(k)) => {
                    self.upstream.insert(domain, k);
                }
                (Method::Get, 200, Some(k)) => {
                    if cache == Some("miss") {
                        self.upstream.insert(domain.clone(), k.clone());
                    }
                    let newest = self.upstream.get(&domain).filter(|u| **u != k).cloned();
                    finished.push(result_view(d, domain, cache, k, newest));
                }
                _ => {}
            }
        }
        let domains = engine.with_store(|s| {
            DOMAINS
                .iter()
                .map(|&domain| {
                    let e = s.keyspace.peek(keys::signing_key(domain).as_bytes());
                    DomainView {
                        domain,
                        cached: e
                            .and_then(|e| e.value.as_str())
                            .map(|v| String::from_utf8_lossy(v).chars().take(80).collect()),
                        ttl_left: e
                            .and_then(|e| e.expire_at())
                            .map(|at| at.saturating_sub(now)),
                        expired: e.is_some_and(|e| e.is_expired(now)),
                        upstream: self.upstream.get(domain).cloned(),
                    }
                })
                .collect()
        });
        Sync {
            now,
            finished,
            log: logged.then(|| self.log.iter().cloned().collect()),
            domains,
            reset,
        }
    }
}

fn result_view(
    d: &Completed,
    domain: String,
    cache: Option<&'static str>,
    key: String,
    stale_vs: Option<String>,
) -> ResultView {
    ResultView {
        id: d.id,
        domain,
        status: d.response.status,
        cache,
        key,
        latency_ms: d.latency_ms(),
        spans: d
            .trace
            .iter()
            .map(|s| SpanRow {
                label: s.label().chars().take(80).collect(),
                offset_ms: s.start.saturating_sub(d.started_at),
                duration_ms: s.end.saturating_sub(s.start),
                upstream: matches!(s.kind, SpanKind::Upstream(_)),
            })
            .collect(),
        stale_vs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(st: &mut SimState, m: &mut Model, a: Action, domain: &str) -> Sync {
        m.act(&mut st.engine, a, domain);
        st.advance_by(1_000);
        m.sync(st)
    }

    #[test]
    fn miss_then_hit_then_stale_until_invalidated() {
        let mut st = SimState::new(9);
        let mut m = Model::new();
        let d = DOMAINS[0];
        let s = act(&mut st, &mut m, Action::Send, d);
        let r = s.finished.first().expect("an answer");
        assert_eq!((r.status, r.cache), (200, Some("miss")));
        assert!(r.key.starts_with("dkim-v1-"), "{}", r.key);
        // GET (miss), the upstream call, SET … EX 60.
        let up: Vec<&SpanRow> = r.spans.iter().filter(|s| s.upstream).collect();
        assert_eq!(up.len(), 1, "{:?}", r.spans);
        assert_eq!(up[0].duration_ms, 150);
        assert!(
            r.latency_ms >= 150 && r.latency_ms < 160,
            "{}",
            r.latency_ms
        );
        let dv = &s.domains[0];
        assert_eq!(dv.cached.as_deref(), Some(r.key.as_str()));
        // SET at ~151 ms with EX 60, read at 1 s.
        assert!(
            dv.ttl_left.is_some_and(|t| (59_000..=59_200).contains(&t)),
            "{:?}",
            dv.ttl_left
        );
        assert!(!dv.stale());
        let v1 = r.key.clone();

        let s = act(&mut st, &mut m, Action::Send, d);
        let r = s.finished.first().expect("an answer");
        assert_eq!(r.cache, Some("hit"));
        assert!(r.spans.iter().all(|s| !s.upstream));
        assert!(r.latency_ms < 10);

        let s = act(&mut st, &mut m, Action::Rotate, d);
        let log = s.log.expect("a log");
        assert!(
            log[0].line.contains("rotated upstream: now dkim-v2-"),
            "{}",
            log[0].line
        );
        assert!(s.domains[0].stale(), "cached v1, upstream v2");
        assert!(!s.domains[1].stale());

        let s = act(&mut st, &mut m, Action::Send, d);
        let r = s.finished.first().expect("an answer");
        assert_eq!((r.cache, r.key.as_str()), (Some("hit"), v1.as_str()));
        assert!(r
            .stale_vs
            .as_deref()
            .is_some_and(|k| k.starts_with("dkim-v2-")));

        let s = act(&mut st, &mut m, Action::Invalidate, d);
        assert_eq!(s.domains[0].cached, None);
        let s = act(&mut st, &mut m, Action::Send, d);
        let r = s.finished.first().expect("an answer");
        assert_eq!(r.cache, Some("miss"));
        assert!(r.key.starts_with("dkim-v2-"));
        assert_eq!(r.stale_vs, None);
        assert!(!s.domains[0].stale());
    }

    #[test]
    fn the_cached_key_expires_after_its_ttl() {
        let mut st = SimState::new(9);
        let mut m = Model::new();
        act(&mut st, &mut m, Action::Send, DOMAINS[1]);
        st.advance_by(60_000);
        let s = m.sync(&st);
        let dv = &s.domains[1];
        // Still in memory (until accessed or sampled) but past its TTL, or
        // already removed by active expiry: either way not served.
        assert!(dv.expired || dv.cached.is_none(), "{dv:?}");
        let s = act(&mut st, &mut m, Action::Send, DOMAINS[1]);
        assert_eq!(s.finished.first().and_then(|r| r.cache), Some("miss"));
    }

    #[test]
    fn other_routes_are_not_this_widgets_and_reset_forgets() {
        let mut st = SimState::new(9);
        let mut m = Model::new();
        st.engine.send(Request::get("/products/1"));
        let s = act(&mut st, &mut m, Action::Rotate, DOMAINS[2]);
        assert_eq!(s.log.map(|l| l.len()), Some(1));
        assert!(s.domains[2].upstream.is_some());
        st.reset();
        let s = m.sync(&st);
        assert!(s.reset);
        assert!(s
            .domains
            .iter()
            .all(|d| d.upstream.is_none() && d.cached.is_none()));
        assert_eq!(
            domain_of("/domains/a.example/signing-key"),
            Some("a.example")
        );
        assert_eq!(domain_of("/products/1"), None);
    }
}
