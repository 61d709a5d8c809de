//! The cache-aside widget's state outside the DOM: the engine, the running
//! statistics, and the conversion of engine state into plain view structs.
//! No Leptos here, so all of it is tested natively.

use std::collections::HashMap;

use playground_core::api::Method;
use playground_core::sim::{Completed, Engine};

use crate::sim::SimState;
use crate::text::{shorten, who};
use playground_core::stats::RequestStats;
use playground_core::store::KeyEvent;
use playground_core::time::{format_clock, Millis};

/// Rows shown in the command log (newest first).
pub const LOG_ROWS: usize = 100;
/// Longest command text shown in a log row; the full text is in its tooltip.
const LOG_LINE_CHARS: usize = 140;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanRow {
    pub key: String,
    pub label: String,
    pub offset_ms: Millis,
    pub duration_ms: Millis,
    pub is_db: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseView {
    pub id: u64,
    pub request: String,
    pub status: u16,
    /// `"hit"` / `"miss"` for product responses.
    pub cache: Option<&'static str>,
    pub latency_ms: Millis,
    pub body: String,
    pub spans: Vec<SpanRow>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatsView {
    pub requests: u64,
    pub hits: u64,
    pub misses: u64,
    pub ratio: String,
    pub mean: String,
    pub p95: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    pub seq: u64,
    pub time: String,
    pub origin: String,
    pub line: String,
    pub full: String,
}

/// The cached product key as Redis holds it, read without touching it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyView {
    pub key: String,
    pub present: bool,
    pub expire_at: Option<Millis>,
    /// When it was last written, so the TTL bar knows its full length.
    pub set_at: Option<Millis>,
    pub views_key: String,
    pub views: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlightRow {
    pub id: u64,
    pub request: String,
    pub started_at: Millis,
    pub phase: String,
}

/// What changed since the last sync; `None` fields did not change.
#[derive(Debug, Default)]
pub struct Sync {
    pub now: Millis,
    pub finished: Vec<ResponseView>,
    pub stats: Option<StatsView>,
    pub log: Option<Vec<LogRow>>,
    pub key: KeyView,
    pub in_flight: Vec<InFlightRow>,
}

/// What the widget remembers between syncs: its cursors into the shared
/// simulation's rings, and what it derived from them.
#[derive(Default)]
pub struct Model {
    stats: RequestStats,
    set_times: HashMap<Vec<u8>, Millis>,
    log_seen: u64,
    done_cursor: u64,
    event_cursor: u64,
}

impl Model {
    pub fn new() -> Self {
        Model::default()
    }

    /// Collects everything the view needs after the simulation moved.
    pub fn sync(&mut self, st: &SimState, product: &str) -> Sync {
        let engine = &st.engine;
        let now = engine.now();
        let (done, cursor) = st.done.since(self.done_cursor);
        self.done_cursor = cursor;
        // This widget's story is product reads and invalidations; other
        // routes (the load test's, the rate-limit widget's) are not its.
        let done: Vec<&Completed> = done
            .filter(|d| d.request.path.starts_with("/products/"))
            .collect();
        // The stats are about product reads; an invalidation is not one.
        for d in done.iter().filter(|d| d.request.method == Method::Get) {
            self.stats.record(d);
        }
        let stats = (!done.is_empty()).then(|| stats_view(&self.stats));
        let finished = done.iter().map(|d| response_view(d)).collect();

        let (events, cursor) = st.events.since(self.event_cursor);
        self.event_cursor = cursor;
        for event in events {
            match event {
                KeyEvent::Set { key, at } => {
                    self.set_times.insert(key.to_vec(), *at);
                }
                KeyEvent::Deleted { key, .. }
                | KeyEvent::Expired { key, .. }
                | KeyEvent::Evicted { key, .. } => {
                    self.set_times.remove(key.as_bytes());
                }
            }
        }

        let total = engine.with_store(|s| s.monitor().total());
        let log = (total != self.log_seen).then(|| {
            self.log_seen = total;
            engine.with_store(|s| {
                s.monitor()
                    .entries()
                    .rev()
                    .take(LOG_ROWS)
                    .map(log_row)
                    .collect()
            })
        });

        let key = self.key_view(engine, product);
        let in_flight = engine
            .in_flight()
            .into_iter()
            .filter(|f| f.request.path.starts_with("/products/"))
            .map(|f| InFlightRow {
                id: f.id,
                request: f.request.to_string(),
                started_at: f.started_at,
                phase: match f.current {
                    Some(s) if s.is_db() => "waiting for the database".to_string(),
                    Some(s) => format!("waiting for Redis: {}", shorten(&s.label(), 40)),
                    None => "starting".to_string(),
                },
            })
            .collect();
        Sync {
            now,
            finished,
            stats,
            log,
            key,
            in_flight,
        }
    }

    fn key_view(&self, engine: &Engine, product: &str) -> KeyView {
        let key = playground_core::api::keys::product(product);
        let views_key = playground_core::api::keys::product_views(product);
        let (present, expire_at) = engine.with_store(|s| {
            s.keyspace
                .peek(key.as_bytes())
                .map(|e| (true, e.expire_at()))
                .unwrap_or((false, None))
        });
        let views = engine.with_store(|s| {
            s.keyspace.peek(views_key.as_bytes()).and_then(|e| {
                e.value
                    .as_str()
                    .map(|v| String::from_utf8_lossy(v).into_owned())
            })
        });
        let set_at = self.set_times.get(key.as_bytes()).copied();
        KeyView {
            key,
            present,
            expire_at,
            set_at,
            views_key,
            views,
        }
    }
}

fn response_view(d: &Completed) -> ResponseView {
    ResponseView {
        id: d.id,
        request: d.request.to_string(),
        status: d.response.status,
        cache: d.response.cache.map(|c| c.as_str()),
        latency_ms: d.latency_ms(),
        body: pretty_json(&d.response.body),
        spans: d
            .trace
            .iter()
            .enumerate()
            .map(|(i, s)| SpanRow {
                key: format!("{}-{i}", d.id),
                label: shorten(&s.label(), 80),
                offset_ms: s.start.saturating_sub(d.started_at),
                duration_ms: s.end.saturating_sub(s.start),
                is_db: s.is_db(),
            })
            .collect(),
    }
}

pub fn stats_view(s: &RequestStats) -> StatsView {
    StatsView {
        requests: s.requests,
        hits: s.hits,
        misses: s.misses,
        ratio: s
            .hit_ratio()
            .map_or("—".into(), |r| format!("{:.0}%", r * 100.0)),
        mean: s.mean_ms().map_or("—".into(), |m| format!("{m:.0} ms")),
        p95: s.p95_ms().map_or("—".into(), |p| format!("{p} ms")),
    }
}

fn log_row(e: &playground_core::store::MonitorEntry) -> LogRow {
    let full = e.command_line();
    LogRow {
        seq: e.seq,
        time: format_clock(e.at),
        origin: who(e),
        line: shorten(&full, LOG_LINE_CHARS),
        full: shorten(&full, 2_000),
    }
}

/// Seconds with one decimal, for TTL countdowns: `9.6 s`.
pub fn format_seconds(ms: Millis) -> String {
    format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
}

/// Indents compact JSON for reading. Strings are copied untouched; a body
/// that is not a JSON object or array (a plain-text 404) is returned as is.
pub fn pretty_json(src: &str) -> String {
    if !(src.starts_with('{') || src.starts_with('[')) {
        return src.to_string();
    }
    let mut out = String::with_capacity(src.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth.min(32)));
    };
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                if matches!(chars.peek(), Some('}') | Some(']')) {
                    if let Some(close) = chars.next() {
                        out.push(close);
                    }
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use playground_core::api::{Request, Settings};

    #[test]
    fn pretty_json_indents_and_keeps_strings() {
        assert_eq!(
            pretty_json(r#"{"a":{"b":"x, {y}: \"z\""},"c":[],"d":1}"#),
            "{\n  \"a\": {\n    \"b\": \"x, {y}: \\\"z\\\"\"\n  },\n  \"c\": [],\n  \"d\": 1\n}"
        );
        assert_eq!(pretty_json("404 Not Found"), "404 Not Found");
        let _ = pretty_json("}}}]]][[[{{{\"\\");
    }

    fn get(st: &mut SimState, product: &str) {
        st.engine.send(Request::get(format!("/products/{product}")));
        st.collect();
    }

    #[test]
    fn model_tracks_a_miss_then_a_hit() {
        let mut st = SimState::new(1);
        st.engine.set_settings(Settings {
            product_cache_ttl_seconds: 10,
            ..Settings::default()
        });
        let mut m = Model::new();
        get(&mut st, "1");
        let s = m.sync(&st, "1");
        assert_eq!(s.in_flight.len(), 1);
        // The article's rate limiter runs first.
        assert_eq!(
            s.in_flight[0].phase,
            "waiting for Redis: INCR rate_limit:get_product:unknown"
        );
        st.advance_real(5.0, 1.0);
        assert_eq!(
            m.sync(&st, "1").in_flight[0].phase,
            "waiting for the database"
        );
        st.advance_real(995.0, 1.0);
        let s = m.sync(&st, "1");
        assert_eq!(s.finished.len(), 1);
        assert_eq!(
            (s.finished[0].status, s.finished[0].cache),
            (200, Some("miss"))
        );
        // INCR, EXPIRE, PTTL (limiter), GET, DB, SET, INCR views.
        assert_eq!(s.finished[0].spans.len(), 7);
        assert!(s.finished[0].spans[4].is_db);
        let stats = s.stats.expect("stats after a completion");
        assert_eq!((stats.requests, stats.hits, stats.misses), (1, 0, 1));
        assert!(s.key.present);
        assert_eq!(s.key.set_at, Some(404));
        assert_eq!(s.key.expire_at, Some(10_404));
        assert_eq!(s.key.views.as_deref(), Some("1"));
        let log = s.log.expect("commands ran");
        assert_eq!(log[0].line, "INCR product:1:views");
        assert!(log.iter().any(|r| r.line.starts_with("SET product:1 ")));

        get(&mut st, "1");
        st.advance_real(16.7, 1.0);
        let s = m.sync(&st, "1");
        assert_eq!(s.finished.first().map(|f| f.cache), Some(Some("hit")));
        assert_eq!(s.stats.map(|st| st.ratio), Some("50%".to_string()));
        assert!(
            m.sync(&st, "1").log.is_none(),
            "no new commands, no new log"
        );

        st.engine.send(Request::delete("/products/1/cache"));
        st.advance_real(16.7, 1.0);
        let s = m.sync(&st, "1");
        assert_eq!(s.finished.len(), 1, "the DELETE finished");
        assert_eq!(
            s.stats.map(|st| st.requests),
            Some(2),
            "an invalidation is not a product read"
        );
        assert!(!s.key.present);
    }

    #[test]
    fn other_routes_on_the_shared_engine_are_not_this_widgets() {
        let mut st = SimState::new(1);
        let mut m = Model::new();
        st.engine.send(Request::get("/health"));
        get(&mut st, "2");
        st.advance_by(2_000);
        let s = m.sync(&st, "2");
        assert_eq!(s.finished.len(), 1);
        assert_eq!(s.finished[0].request, "GET /products/2");
    }

    #[test]
    fn seconds_and_shortening() {
        assert_eq!(format_seconds(9_640), "9.6 s");
        assert_eq!(shorten("héllo", 2), "hé…");
        assert_eq!(shorten("hi", 2), "hi");
    }
}
