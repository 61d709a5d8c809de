//! Stampede defences for the product cache, each off by default (the
//! article has none of them):
//!
//! - **TTL jitter**: keys written at the same moment should not all expire
//!   at the same moment, so each TTL is drawn from `ttl ± percent`.
//! - **Negative caching**: a 404 from the database is remembered for a short
//!   TTL, so a missing id cannot send every request to the database.
//! - **Single-flight**: on a miss, one request takes `lock:product:{id}`
//!   (`SET … NX PX`, a token of its own) and rebuilds; the others wait a
//!   jittered moment and read again. The holder releases with a
//!   compare-and-delete (`FCALL pg_release_lock`), so a holder whose lock
//!   expired mid-rebuild cannot delete the next holder's lock.
//! - **XFetch** (Vattani et al.): a reader recomputes early when
//!   `now − δ·β·ln(rand) ≥ expiry`, so under steady load the value is usually
//!   rebuilt by one reader before it expires, not by all of them after.
//! - **Stale-while-revalidate**: the key outlives its fresh TTL by a window
//!   in which readers get the old value at once (`meta.cache = "stale"`)
//!   while one background task refreshes it.
//!
//! # What `product:{id}` holds
//!
//! - the product JSON itself (`{"id":…}`), exactly as the article stores it,
//!   whenever neither XFetch nor stale-while-revalidate is on;
//! - an **envelope** `{"delta":<ms>,"expiresAt":<ms>,"data":<product JSON>}`
//!   when either is on: `delta` is δ, the virtual milliseconds the last
//!   database read took, and `expiresAt` the app server's clock reading at
//!   which the value stops being fresh (the key itself may live longer, by
//!   the stale window). XFetch needs both next to the value, and reading
//!   them from the value costs no extra round trip;
//! - the **negative marker** `{"notFound":true}` for a cached 404.
//!
//! Every form is recognised whatever the current settings, so switching a
//! defence on or off at run time never misreads what an earlier setting wrote.

use super::ports::{ProductDb, Redis, RequestContext};
use super::product_cache;
use super::settings::Settings;
use crate::time::Millis;

/// The defences' settings; all zero/false means the article's cache-aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheDefences {
    /// `PRODUCT_CACHE_TTL_JITTER_PERCENT`: each TTL is `ttl ± this %`,
    /// uniformly, at millisecond precision (0 = off, at most 50).
    pub ttl_jitter_percent: u64,
    /// `NEGATIVE_CACHE_TTL_SECONDS`: how long a 404 is remembered (0 = off).
    pub negative_ttl_seconds: u64,
    /// `CACHE_SINGLE_FLIGHT`: one rebuild per cold key at a time.
    pub single_flight: bool,
    /// `CACHE_LOCK_TTL_MS`: how long the rebuild lock lives if its holder
    /// never releases it. Several times the rebuild time, so a slow rebuild
    /// keeps its lock; short enough that a dead holder is soon replaced.
    pub lock_ttl_ms: u64,
    /// `CACHE_LOCK_RETRY_MS`: a waiter reads again after this ± 50 %; the
    /// jitter keeps waiters from polling in lockstep.
    pub lock_retry_ms: u64,
    /// `CACHE_LOCK_MAX_RETRIES`: waits before a waiter gives up on the lock
    /// and reads the database itself (a stuck rebuild must not stall it forever).
    pub lock_max_retries: u64,
    /// `CACHE_XFETCH_BETA`, in thousandths (1000 = β 1, the paper's choice;
    /// 0 = off). Larger β refreshes earlier.
    pub xfetch_beta_thousandths: u64,
    /// `CACHE_STALE_WHILE_REVALIDATE_SECONDS`: how long past its fresh TTL a
    /// value may still be served while it is refreshed (0 = off).
    pub stale_while_revalidate_seconds: u64,
}

impl Default for CacheDefences {
    fn default() -> Self {
        CacheDefences {
            ttl_jitter_percent: 0,
            negative_ttl_seconds: 0,
            single_flight: false,
            // Five rebuilds at the default 400 ms database latency.
            lock_ttl_ms: 2_000,
            lock_retry_ms: 50,
            // 40 waits of 50 ms on average: about the lock's own TTL.
            lock_max_retries: 40,
            xfetch_beta_thousandths: 0,
            stale_while_revalidate_seconds: 0,
        }
    }
}

impl CacheDefences {
    /// The same settings inside workable bounds.
    pub fn clamped(mut self) -> Self {
        // Above 50 % a TTL could come out at (nearly) nothing.
        self.ttl_jitter_percent = self.ttl_jitter_percent.min(50);
        self.negative_ttl_seconds = self.negative_ttl_seconds.min(86_400);
        self.lock_ttl_ms = self.lock_ttl_ms.clamp(1, 600_000);
        self.lock_retry_ms = self.lock_retry_ms.clamp(1, 60_000);
        self.lock_max_retries = self.lock_max_retries.min(1_000);
        self.xfetch_beta_thousandths = self.xfetch_beta_thousandths.min(10_000);
        self.stale_while_revalidate_seconds = self.stale_while_revalidate_seconds.min(86_400);
        self
    }

    /// Whether values are stored in the envelope (δ and expiry beside them).
    pub fn uses_envelope(&self) -> bool {
        self.xfetch_beta_thousandths > 0 || self.stale_while_revalidate_seconds > 0
    }
}

/// What `product:{id}` holds, once read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cached {
    /// The product JSON as the article stores it.
    Plain(String),
    /// The product JSON with δ and its fresh-until time.
    Envelope {
        data: String,
        delta_ms: Millis,
        expires_at: Millis,
    },
    /// A remembered 404.
    NotFound,
}

/// The negative marker. No product JSON can equal it (products have an id).
pub const NOT_FOUND_MARKER: &str = r#"{"notFound":true}"#;

const ENVELOPE_PREFIX: &str = r#"{"delta":"#;

/// `{"delta":…,"expiresAt":…,"data":…}`: data last, so reading it back
/// needs no JSON re-serialisation.
pub fn encode_envelope(data: &str, delta_ms: Millis, expires_at: Millis) -> String {
    format!(r#"{ENVELOPE_PREFIX}{delta_ms},"expiresAt":{expires_at},"data":{data}}}"#)
}

/// Reads a cached value; `None` for an envelope that does not parse (a
/// tampered key), which the service then treats as a miss and overwrites.
/// Takes the value read from Redis and keeps its bytes: the product JSON
/// is the same string, not a copy (this runs on every cache hit).
pub fn decode(mut value: String) -> Option<Cached> {
    if value == NOT_FOUND_MARKER {
        return Some(Cached::NotFound);
    }
    let Some(rest) = value.strip_prefix(ENVELOPE_PREFIX) else {
        return Some(Cached::Plain(value));
    };
    let (delta, rest) = rest.split_once(r#","expiresAt":"#)?;
    let (expires, rest) = rest.split_once(r#","data":"#)?;
    let data = rest.strip_suffix('}')?;
    let delta_ms = delta.parse().ok()?;
    let expires_at = expires.parse().ok()?;
    // `data` ends one byte before the value: cut the tail, then the head.
    let start = value.len() - 1 - data.len();
    value.truncate(value.len() - 1);
    value.drain(..start);
    Some(Cached::Envelope {
        data: value,
        delta_ms,
        expires_at,
    })
}

/// How long a value stays fresh, in ms: the configured TTL, or with jitter
/// a uniform draw from `ttl ± percent` (`random` is the request's draw).
pub fn fresh_ttl_ms(ttl_seconds: u64, jitter_percent: u64, random: u64) -> u64 {
    let base = ttl_seconds.max(1).saturating_mul(1_000);
    let spread = (u128::from(base) * u128::from(jitter_percent.min(50)) / 100) as u64;
    if spread == 0 {
        return base;
    }
    let offset = (u128::from(random) % (2 * u128::from(spread) + 1)) as u64;
    (base - spread).saturating_add(offset)
}

/// XFetch's test: recompute now when `now − δ·β·ln(rand) ≥ expiry`, with
/// `rand` uniform in (0, 1] (so `ln(rand) ≤ 0` and the left side only grows
/// as δ or β grow). β = 0 never refreshes early.
pub fn refresh_early(
    now: Millis,
    delta_ms: Millis,
    expires_at: Millis,
    beta_thousandths: u64,
    random: u64,
) -> bool {
    if beta_thousandths == 0 {
        return false;
    }
    // 53 random bits, shifted into (0, 1]: ln(0) would be -inf.
    let rand = ((random >> 11) + 1) as f64 / (1u64 << 53) as f64;
    let beta = beta_thousandths as f64 / 1_000.0;
    let gap = -(delta_ms as f64) * beta * rand.ln();
    now as f64 + gap >= expires_at as f64
}

/// A waiter's pause before reading again: `retry ± 50 %`, uniformly, so
/// that fifty waiters do not all read at the same instant.
pub fn retry_delay_ms(retry_ms: u64, random: u64) -> u64 {
    let retry = retry_ms.max(1);
    retry / 2 + random % (retry + 1)
}

/// A lock token unique to this request (its id, plus random bits so that
/// two app servers numbering requests alike still differ).
pub fn lock_token<C: RequestContext>(ctx: &C) -> String {
    format!(
        "{}-{:012x}",
        ctx.request_id(),
        ctx.random_u64() & 0xFFFF_FFFF_FFFF
    )
}

/// Stale-while-revalidate's background refresh. It takes the rebuild lock
/// first, so however many readers saw the stale value, one of them queries
/// the database; the others' refreshes find the lock taken and stop.
pub async fn refresh<R: Redis, D: ProductDb, C: RequestContext>(
    redis: &R,
    db: &D,
    ctx: &C,
    settings: &Settings,
    id: &str,
) {
    let token = lock_token(ctx);
    let lock_ttl = settings.defences.lock_ttl_ms;
    if !matches!(
        product_cache::try_lock(redis, id, &token, lock_ttl).await,
        Ok(true)
    ) {
        return;
    }
    // Nobody waits on this task: a failed refresh leaves the stale value,
    // and the next stale read tries again.
    let _ = super::products::rebuild(redis, db, ctx, settings, id).await;
    let _ = product_cache::release_lock(redis, id, &token).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_round_trips_and_other_forms_are_recognised() {
        let e = encode_envelope(r#"{"id":"1"}"#, 403, 10_404);
        assert_eq!(e, r#"{"delta":403,"expiresAt":10404,"data":{"id":"1"}}"#);
        assert_eq!(
            decode(e),
            Some(Cached::Envelope {
                data: r#"{"id":"1"}"#.into(),
                delta_ms: 403,
                expires_at: 10_404
            })
        );
        assert_eq!(decode(NOT_FOUND_MARKER.into()), Some(Cached::NotFound));
        assert_eq!(
            decode(r#"{"id":"1"}"#.into()),
            Some(Cached::Plain(r#"{"id":"1"}"#.into()))
        );
        assert_eq!(
            decode(r#"{"delta":x,"expiresAt":1,"data":{}}"#.into()),
            None
        );
        assert_eq!(decode(r#"{"delta":1"#.into()), None);
        // Multi-byte data, and data that is itself an envelope-looking text.
        let e = encode_envelope(r#"{"name":"Café ☕"}"#, 1, 2);
        assert_eq!(
            decode(e),
            Some(Cached::Envelope {
                data: r#"{"name":"Café ☕"}"#.into(),
                delta_ms: 1,
                expires_at: 2
            })
        );
        assert_eq!(
            decode(r#"{"delta":5,"expiresAt":6,"data":}"#.into()),
            Some(Cached::Envelope {
                data: String::new(),
                delta_ms: 5,
                expires_at: 6
            })
        );
    }

    #[test]
    fn jitter_stays_within_bounds() {
        assert_eq!(fresh_ttl_ms(10, 0, 12_345), 10_000);
        for r in 0..5_000u64 {
            let t = fresh_ttl_ms(10, 10, r.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            assert!((9_000..=11_000).contains(&t), "{t}");
        }
        assert_eq!(fresh_ttl_ms(1, 50, 0), 500);
        assert_eq!(fresh_ttl_ms(1, 50, 1_000), 1_500);
        assert!(fresh_ttl_ms(u64::MAX, 50, u64::MAX) > 0);
    }

    #[test]
    fn xfetch_matches_the_papers_probabilities() {
        // δ = 400 ms, β = 1: P(early) = exp(-remaining / 400).
        let share = |remaining: u64| {
            let n = 20_000u64;
            let hits = (0..n)
                .filter(|i| {
                    let r = crate::rng::Rng::new(*i).next_u64();
                    refresh_early(10_000 - remaining, 400, 10_000, 1_000, r)
                })
                .count();
            hits as f64 / n as f64
        };
        for (remaining, expected) in [(2_000, 0.007), (1_000, 0.082), (400, 0.368), (100, 0.779)] {
            let got = share(remaining);
            assert!((got - expected).abs() < 0.02, "{remaining}: {got}");
        }
        assert!(!refresh_early(9_999, 400, 10_000, 0, 0));
        assert!(refresh_early(10_000, 0, 10_000, 1_000, 0));
    }

    #[test]
    fn retry_delays_spread_around_the_setting() {
        for r in 0..1_000 {
            assert!((25..=75).contains(&retry_delay_ms(50, r)));
        }
        assert_eq!(retry_delay_ms(0, 7), 1, "a zero setting still waits");
    }
}
