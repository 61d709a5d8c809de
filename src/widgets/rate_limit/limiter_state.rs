//! One client's limiter state as the reader sees it, read from the store
//! with `peek` (never a command, so nothing is touched or counted): the
//! window counter, the sliding counter's two windows, the sliding log's
//! timestamps, the bucket's tokens or GCRA's theoretical arrival time, in
//! the units of whichever implementation (client-side commands or the
//! server-side function) wrote it, as a sentence and as numbers for the one
//! drawing markup. No Leptos here: natively tested.

use playground_core::api::keys;
use playground_core::api::rate_limit::{Algorithm, Limit};
use playground_core::store::int::parse_i64;
use playground_core::store::{Entry, Store, Value};
use playground_core::time::Millis;

use super::model::{secs, LOG_DOTS, ROUTE};

/// The limiter's state for one client, as drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum LimiterState {
    /// Fixed windows: the counter against the limit. `left` is the time
    /// until the window resets; `immortal` a key with no TTL (TTL -1).
    Counter {
        count: u64,
        limit: u64,
        left: Option<Millis>,
        window_ms: Millis,
        immortal: bool,
    },
    /// Sliding counter: the previous window's count weighted by how much of
    /// it still overlaps, plus the current window's.
    Sliding {
        prev: u64,
        cur: u64,
        /// Share of the previous window still counted, 0–1.
        prev_weight: f64,
        weighted: u64,
        limit: u64,
        left: Millis,
    },
    /// Sliding log: request times in the window `[from, to]`, and how many
    /// older ones are still stored (removed on the next request).
    Log {
        times: Vec<Millis>,
        from: Millis,
        to: Millis,
        limit: u64,
        count: usize,
        stale: usize,
    },
    /// Token bucket: tokens now (with the refill since the last write).
    Bucket { tokens: f64, capacity: u64 },
    /// GCRA: how far the theoretical arrival time is ahead of now, against
    /// τ (the window); `left` requests would pass now.
    Gcra {
        ahead: Millis,
        tau: Millis,
        interval: Millis,
        left: u64,
    },
}

impl LimiterState {
    /// One sentence: the text alternative of the drawing.
    pub fn describe(&self) -> String {
        match self {
            LimiterState::Counter {
                count,
                limit,
                immortal: true,
                ..
            } => {
                let blocked = if count >= limit {
                    ", this client is now blocked forever"
                } else {
                    ", it will block this client for good once it reaches the limit"
                };
                format!("immortal key: TTL -1, count {count}/{limit}{blocked}")
            }
            LimiterState::Counter {
                count: 0,
                limit,
                left: None,
                ..
            } => format!("no key: 0/{limit}, the next request starts a window"),
            LimiterState::Counter {
                count, limit, left, ..
            } => format!(
                "{count}/{limit} in this window, resets in {}",
                left.map_or("—".into(), secs)
            ),
            LimiterState::Sliding {
                prev,
                cur,
                prev_weight,
                weighted,
                limit,
                left,
            } => format!(
                "previous window {prev} × {:.0}% + current {cur} = {weighted}/{limit}, window ends in {}",
                prev_weight * 100.0,
                secs(*left)
            ),
            LimiterState::Log {
                count, limit, stale, to, from, ..
            } => {
                let old = if *stale > 0 {
                    format!(" ({stale} older, removed on the next request)")
                } else {
                    String::new()
                };
                format!(
                    "{count}/{limit} timestamps in the last {}{old}",
                    secs(to.saturating_sub(*from))
                )
            }
            LimiterState::Bucket { tokens, capacity } => {
                format!("{tokens:.1} of {capacity} tokens")
            }
            LimiterState::Gcra {
                ahead,
                tau,
                left,
                interval,
            } => format!(
                "TAT is now + {} of τ {} (one request adds {}), {left} would pass now",
                secs(*ahead),
                secs(*tau),
                secs(*interval)
            ),
        }
    }

    /// The drawing, as numbers (percentages 0–100) for one fixed markup:
    /// two fills of the main track, dots and a marker on it, a thin time
    /// bar, and the immortal-key badge.
    pub fn drawing(&self) -> Drawing {
        let pct = |x: f64, of: f64| {
            let v = x * 100.0 / of.max(1.0);
            if v.is_finite() {
                v.clamp(0.0, 100.0)
            } else {
                0.0
            }
        };
        let used = self.used() * 100.0;
        let mut d = Drawing {
            main_full: used >= 100.0,
            ..Drawing::default()
        };
        match self {
            LimiterState::Counter {
                left,
                window_ms,
                immortal,
                ..
            } => {
                d.main = used;
                d.time = left.map(|l| pct(l as f64, *window_ms as f64));
                d.immortal = *immortal;
            }
            LimiterState::Sliding {
                prev,
                cur,
                prev_weight,
                limit,
                ..
            } => {
                d.prev = pct(*prev as f64 * prev_weight, *limit as f64);
                d.main = pct(*cur as f64, *limit as f64);
                // Time left in the current window: the previous one's
                // weight is exactly that share.
                d.time = Some(prev_weight * 100.0);
            }
            LimiterState::Log {
                times, from, to, ..
            } => {
                let span = to.saturating_sub(*from) as f64;
                d.dots = times
                    .iter()
                    .map(|t| pct(t.saturating_sub(*from) as f64, span))
                    .collect();
            }
            LimiterState::Bucket { .. } => {
                d.main = 100.0 - used;
                d.tokens = true;
                d.main_full = used >= 100.0;
            }
            LimiterState::Gcra { .. } => d.marker = Some(used.min(99.0)),
        }
        d
    }

    /// Fill of the main bar, 0–1 (how used up the allowance is).
    pub fn used(&self) -> f64 {
        let r = match self {
            LimiterState::Counter { count, limit, .. } => *count as f64 / (*limit).max(1) as f64,
            LimiterState::Sliding {
                weighted, limit, ..
            } => *weighted as f64 / (*limit).max(1) as f64,
            LimiterState::Log { count, limit, .. } => *count as f64 / (*limit).max(1) as f64,
            LimiterState::Bucket { tokens, capacity } => 1.0 - tokens / (*capacity).max(1) as f64,
            LimiterState::Gcra { ahead, tau, .. } => *ahead as f64 / (*tau).max(1) as f64,
        };
        if r.is_finite() {
            r.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// A limiter state as numbers for the one drawing markup (percentages).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drawing {
    /// The main fill: the count (or tokens left).
    pub main: f64,
    pub main_full: bool,
    /// The bucket's tokens rather than a count.
    pub tokens: bool,
    /// The sliding counter's weighted previous window, before `main`.
    pub prev: f64,
    /// The sliding log's timestamps along the window.
    pub dots: Vec<f64>,
    /// GCRA's theoretical arrival time between now and now + τ.
    pub marker: Option<f64>,
    /// Time left in the window.
    pub time: Option<f64>,
    pub immortal: bool,
}

fn live<'a>(store: &'a Store, key: &str, now: Millis) -> Option<&'a Entry> {
    store
        .keyspace
        .peek(key.as_bytes())
        .filter(|e| !e.is_expired(now))
}

fn num(b: &[u8]) -> Option<f64> {
    std::str::from_utf8(b)
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

fn str_int(e: Option<&Entry>) -> u64 {
    e.and_then(|e| e.value.as_str())
        .and_then(parse_i64)
        .unwrap_or(0)
        .max(0) as u64
}

fn hash_num(e: Option<&Entry>, field: &str) -> Option<f64> {
    match e.map(|e| &e.value) {
        Some(Value::Hash(h)) => h.get(field.as_bytes()).and_then(|v| num(v)),
        _ => None,
    }
}

/// The state of `ip`'s limiter for the current settings, read with `peek`
/// (no command runs, nothing is touched). `atomic` matters where the
/// server-side function stores its state in other units (token bucket and
/// GCRA keep it scaled, to stay in whole numbers).
pub fn limiter_state(
    store: &Store,
    limit: Limit,
    atomic: bool,
    ip: &str,
    now: Millis,
) -> LimiterState {
    let key = keys::rate_limit(ip, ROUTE);
    let w = limit.window_seconds.max(1) * 1_000;
    let max = limit.max_requests.max(1);
    match limit.algorithm {
        Algorithm::ArticleFixed | Algorithm::FixedAtomic => {
            let e = live(store, &key, now);
            let (left, immortal) = match e.map(|e| e.expire_at()) {
                None => (None, false),
                Some(Some(at)) => (Some(at.saturating_sub(now)), false),
                Some(None) => (None, true),
            };
            LimiterState::Counter {
                count: str_int(e),
                limit: max,
                left,
                window_ms: w,
                immortal,
            }
        }
        Algorithm::FixedAligned => {
            let window = now / w;
            let e = live(store, &format!("{key}:{window}"), now);
            LimiterState::Counter {
                count: str_int(e),
                limit: max,
                left: Some((window + 1) * w - now),
                window_ms: w,
                immortal: e.is_some_and(|e| e.expire_at().is_none()),
            }
        }
        Algorithm::SlidingCounter => {
            let window = now / w;
            let prev_key = match window.checked_sub(1) {
                Some(p) => format!("{key}:{p}"),
                None => format!("{key}:-1"),
            };
            let prev = str_int(live(store, &prev_key, now));
            let cur = str_int(live(store, &format!("{key}:{window}"), now));
            let elapsed = now % w;
            LimiterState::Sliding {
                prev,
                cur,
                prev_weight: (w - elapsed) as f64 / w as f64,
                weighted: (w - elapsed) * prev / w + cur,
                limit: max,
                left: w - elapsed,
            }
        }
        Algorithm::SlidingLog => {
            let from = now.saturating_sub(w);
            let mut times = Vec::new();
            let mut stale = 0;
            if let Some(Value::ZSet(z)) = live(store, &key, now).map(|e| &e.value) {
                for (_, score) in z.iter() {
                    // In the window: score > now - w (the limiter drops <=).
                    if score.is_finite() && score > now as f64 - w as f64 {
                        times.push(score.max(0.0) as Millis);
                    } else {
                        stale += 1;
                    }
                }
            }
            let count = times.len();
            if times.len() > LOG_DOTS {
                times.drain(..times.len() - LOG_DOTS);
            }
            LimiterState::Log {
                times,
                from,
                to: now,
                limit: max,
                count,
                stale,
            }
        }
        Algorithm::TokenBucket => {
            let e = live(store, &key, now);
            let capacity = max as f64;
            let tokens = if atomic {
                // Units of 1/w token, refilled `max` units per ms.
                let full = capacity * w as f64;
                let units = hash_num(e, "tokens").unwrap_or(full);
                let ts = hash_num(e, "ts").unwrap_or(now as f64);
                let units = (units + (now as f64 - ts).max(0.0) * capacity).min(full);
                units / w as f64
            } else {
                // Whole tokens, one back every `interval` ms.
                let interval = (w / max).max(1) as f64;
                let t = hash_num(e, "tokens").unwrap_or(capacity);
                let at = hash_num(e, "refilledAt").unwrap_or(now as f64);
                (t + ((now as f64 - at).max(0.0) / interval).floor()).min(capacity)
            };
            LimiterState::Bucket {
                tokens: if tokens.is_finite() {
                    tokens.max(0.0)
                } else {
                    0.0
                },
                capacity: max,
            }
        }
        Algorithm::Gcra => {
            let stored = live(store, &key, now)
                .and_then(|e| e.value.as_str())
                .and_then(num);
            let (tat, interval) = if atomic {
                // The function keeps times multiplied by the limit.
                (stored.map(|v| v / max as f64), w as f64 / max as f64)
            } else {
                (stored, (w / max).max(1) as f64)
            };
            let ahead = tat.map_or(0.0, |t| (t - now as f64).max(0.0));
            let left = ((w as f64 - ahead) / interval).floor().max(0.0);
            LimiterState::Gcra {
                ahead: ahead as Millis,
                tau: w,
                interval: interval.round() as Millis,
                left: left as u64,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn drawings_put_each_state_on_one_markup() {
        let c = LimiterState::Counter {
            count: 3,
            limit: 3,
            left: Some(2_500),
            window_ms: 10_000,
            immortal: false,
        }
        .drawing();
        assert_eq!((c.main, c.main_full, c.time), (100.0, true, Some(25.0)));
        let s = LimiterState::Sliding {
            prev: 4,
            cur: 1,
            prev_weight: 0.5,
            weighted: 3,
            limit: 4,
            left: 5_000,
        }
        .drawing();
        assert_eq!((s.prev, s.main, s.time), (50.0, 25.0, Some(50.0)));
        let l = LimiterState::Log {
            times: vec![2_000, 7_000],
            from: 2_000,
            to: 12_000,
            limit: 4,
            count: 2,
            stale: 0,
        }
        .drawing();
        assert_eq!(l.dots, vec![0.0, 50.0]);
        let b = LimiterState::Bucket {
            tokens: 1.0,
            capacity: 4,
        }
        .drawing();
        assert!(b.tokens && (b.main - 25.0).abs() < 1e-9);
        let g = LimiterState::Gcra {
            ahead: 4_000,
            tau: 10_000,
            interval: 2_500,
            left: 2,
        }
        .drawing();
        assert_eq!(g.marker, Some(40.0));
        let i = LimiterState::Counter {
            count: 5,
            limit: 3,
            left: None,
            window_ms: 10_000,
            immortal: true,
        }
        .drawing();
        assert!(i.immortal && i.time.is_none());
    }
}
