//! Rate limiting: the article's fixed window (race and all) and the
//! algorithms it points to, behind one function, all on the Redis port so
//! every command shows in the MONITOR log.
//!
//! Times are the application server's clock in milliseconds (virtual in the
//! simulation). Each algorithm returns a [`Decision`] with what the headers
//! need: the limit, what remains, when the window (or bucket) resets, and,
//! when refused, how long to wait.
//!
//! Each algorithm exists twice: as the client-side command sequence the
//! references describe (readable step by step in MONITOR, but racy when
//! requests overlap) and as one `FCALL` of a server-side function (see
//! [`check`]).

use std::borrow::Cow;

use super::keys;
use super::ports::Redis;
use crate::store::int::parse_i64;
use crate::store::Reply;
use crate::time::Millis;

/// `RATE_LIMIT_ALGORITHM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// The article: `INCR`, then `EXPIRE` if the count is 1. Two commands:
    /// if the process dies between them, the key never expires.
    ArticleFixed,
    /// Fixed window made safe: `SET key 0 EX w NX` creates the key with its
    /// TTL before any `INCR`, so no key is ever left without one.
    FixedAtomic,
    /// Clock-aligned windows: one key per `floor(now / w)`.
    FixedAligned,
    /// Sliding window counter: the previous window's count, weighted by how
    /// much of it still overlaps, plus the current one.
    SlidingCounter,
    /// Sliding window log: a sorted set of request times.
    SlidingLog,
    /// Token bucket: a hash of tokens and the last refill time.
    TokenBucket,
    /// Generic cell rate algorithm: one theoretical arrival time per key.
    Gcra,
}

impl Algorithm {
    pub const ALL: [Algorithm; 7] = [
        Algorithm::ArticleFixed,
        Algorithm::FixedAtomic,
        Algorithm::FixedAligned,
        Algorithm::SlidingCounter,
        Algorithm::SlidingLog,
        Algorithm::TokenBucket,
        Algorithm::Gcra,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::ArticleFixed => "article-fixed",
            Algorithm::FixedAtomic => "fixed-atomic",
            Algorithm::FixedAligned => "fixed-aligned",
            Algorithm::SlidingCounter => "sliding-counter",
            Algorithm::SlidingLog => "sliding-log",
            Algorithm::TokenBucket => "token-bucket",
            Algorithm::Gcra => "gcra",
        }
    }

    pub fn parse(s: &str) -> Option<Algorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(s))
    }
}

/// What to limit by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentifyBy {
    /// The first `x-forwarded-for` entry, trimmed; `unknown` without one.
    Ip,
    /// The `x-user-id` header (`anonymous` without one).
    User,
    /// The `x-tenant-id` header (`anonymous` without one).
    Tenant,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub algorithm: Algorithm,
    /// `RATE_LIMIT_MAX_REQUESTS` per window (also the bucket size).
    pub max_requests: u64,
    /// `RATE_LIMIT_WINDOW_SECONDS`.
    pub window_seconds: u64,
}

impl Limit {
    fn window_ms(&self) -> Millis {
        self.window_seconds.max(1) * 1_000
    }

    fn max(&self) -> u64 {
        self.max_requests.max(1)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u64,
    pub remaining: u64,
    /// Milliseconds until the window (or bucket) is whole again; `None` when
    /// it cannot be known (the article's key left without a TTL).
    pub reset_ms: Option<Millis>,
    /// When refused: milliseconds until a request would pass.
    pub retry_after_ms: Option<Millis>,
}

/// A reply the limiter did not expect: Redis is down or the key was
/// tampered with. The caller applies its fail-open or fail-closed policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimiterError {
    /// Redis answered with an error (down, or a tampered key).
    Redis(Reply),
    /// The API process died in the middle (the `crash_after_incr` fault).
    Crashed,
}

/// The identifier of a request for `by`, from its (lower-case) headers.
pub fn identifier<'a>(headers: &'a [(Cow<'static, str>, String)], by: IdentifyBy) -> &'a str {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    match by {
        // The article: `header?.split(",")[0]?.trim() ?? "unknown"`: a
        // present but empty header gives "", not "unknown".
        // Borrowed from the header: no copy per request.
        // (A byte search: `split(',')` was a percent of the load benchmark.)
        IdentifyBy::Ip => header("x-forwarded-for").map_or("unknown", |v| {
            let first = v.bytes().position(|b| b == b',').unwrap_or(v.len());
            v.get(..first).unwrap_or_default().trim()
        }),
        IdentifyBy::User => header("x-user-id").map_or("anonymous", str::trim),
        IdentifyBy::Tenant => header("x-tenant-id").map_or("anonymous", str::trim),
    }
}

/// Counts one request for `identifier` on `route` and decides.
/// `now` is the app's clock; `token` must be unique per request (the
/// sliding log's set member).
///
/// With `atomic` (`RATE_LIMIT_ATOMIC`, the default), every algorithm but the
/// article's runs as one `FCALL` of its server-side function: the read,
/// the decision and the write happen inside Redis in one step, so requests
/// arriving together cannot all read the same state and all pass. Without
/// it, the client-side read-modify-write versions run, kept to show that
/// race. The article's limiter is always the article's (INCR, then EXPIRE).
///
/// With `crash_after_incr`, the article's limiter dies between its first
/// INCR and the EXPIRE, as a killed process would.
#[allow(clippy::too_many_arguments)] // each is one independent input of the decision
pub async fn check<R: Redis>(
    redis: &R,
    limit: Limit,
    atomic: bool,
    route: &str,
    identifier: &str,
    now: Millis,
    token: u64,
    crash_after_incr: bool,
) -> Result<Decision, LimiterError> {
    let key = keys::rate_limit(identifier, route);
    match (limit.algorithm, atomic) {
        (Algorithm::ArticleFixed, _) => article_fixed(redis, limit, &key, crash_after_incr).await,
        (Algorithm::FixedAtomic, true) => server::fixed_atomic(redis, limit, &key).await,
        (Algorithm::FixedAtomic, false) => fixed_atomic(redis, limit, &key).await,
        (Algorithm::FixedAligned, true) => server::fixed_aligned(redis, limit, &key, now).await,
        (Algorithm::FixedAligned, false) => fixed_aligned(redis, limit, &key, now).await,
        (Algorithm::SlidingCounter, true) => server::sliding_counter(redis, limit, &key, now).await,
        (Algorithm::SlidingCounter, false) => sliding_counter(redis, limit, &key, now).await,
        (Algorithm::SlidingLog, true) => server::sliding_log(redis, limit, &key, now, token).await,
        (Algorithm::SlidingLog, false) => sliding_log(redis, limit, &key, now, token).await,
        (Algorithm::TokenBucket, true) => {
            server::bucket(redis, "pg_token_bucket", limit, &key, now).await
        }
        (Algorithm::TokenBucket, false) => token_bucket(redis, limit, &key, now).await,
        (Algorithm::Gcra, true) => server::bucket(redis, "pg_gcra", limit, &key, now).await,
        (Algorithm::Gcra, false) => gcra(redis, limit, &key, now).await,
    }
}

async fn int<R: Redis>(redis: &R, args: &[&[u8]]) -> Result<i64, LimiterError> {
    match redis.call(args).await {
        Reply::Integer(n) => Ok(n),
        other => Err(LimiterError::Redis(other)),
    }
}

async fn ok<R: Redis>(redis: &R, args: &[&[u8]]) -> Result<Reply, LimiterError> {
    match redis.call(args).await {
        Reply::Error(e) => Err(LimiterError::Redis(Reply::Error(e))),
        other => Ok(other),
    }
}

fn bulk_int(r: &Reply) -> Result<Option<i64>, LimiterError> {
    match r {
        Reply::Nil => Ok(None),
        Reply::Bulk(b) => parse_i64(b)
            .map(Some)
            .ok_or_else(|| LimiterError::Redis(r.clone())),
        other => Err(LimiterError::Redis(other.clone())),
    }
}

fn counted(limit: Limit, n: i64, reset_ms: Option<Millis>) -> Decision {
    let max = limit.max();
    let n = n.max(0) as u64;
    let allowed = n <= max;
    Decision {
        allowed,
        limit: max,
        remaining: max.saturating_sub(n),
        reset_ms,
        retry_after_ms: if allowed { None } else { reset_ms },
    }
}

/// PTTL as a reset time: `None` for a key without a TTL (or gone).
async fn pttl<R: Redis>(redis: &R, key: &str) -> Result<Option<Millis>, LimiterError> {
    let ms = int(redis, &[b"PTTL", key.as_bytes()]).await?;
    Ok((ms >= 0).then_some(ms as Millis))
}

async fn article_fixed<R: Redis>(
    redis: &R,
    limit: Limit,
    key: &str,
    crash_after_incr: bool,
) -> Result<Decision, LimiterError> {
    let n = int(redis, &[b"INCR", key.as_bytes()]).await?;
    if n == 1 {
        if crash_after_incr {
            return Err(LimiterError::Crashed);
        }
        let w = limit.window_ms() / 1_000;
        int(
            redis,
            &[b"EXPIRE", key.as_bytes(), w.to_string().as_bytes()],
        )
        .await?;
    }
    // The article sends no reset; the key's TTL gives it (if it has one).
    let reset = pttl(redis, key).await?;
    Ok(counted(limit, n, reset))
}

async fn fixed_atomic<R: Redis>(
    redis: &R,
    limit: Limit,
    key: &str,
) -> Result<Decision, LimiterError> {
    let w = (limit.window_ms() / 1_000).to_string();
    ok(
        redis,
        &[b"SET", key.as_bytes(), b"0", b"EX", w.as_bytes(), b"NX"],
    )
    .await?;
    let n = int(redis, &[b"INCR", key.as_bytes()]).await?;
    let reset = pttl(redis, key).await?;
    Ok(counted(limit, n, reset))
}

async fn fixed_aligned<R: Redis>(
    redis: &R,
    limit: Limit,
    key: &str,
    now: Millis,
) -> Result<Decision, LimiterError> {
    let w = limit.window_ms();
    let window = now / w;
    let key = format!("{key}:{window}");
    let reset = (window + 1) * w - now;
    let n = int(redis, &[b"INCR", key.as_bytes()]).await?;
    if n == 1 {
        int(
            redis,
            &[b"PEXPIRE", key.as_bytes(), reset.to_string().as_bytes()],
        )
        .await?;
    }
    Ok(counted(limit, n, Some(reset)))
}

async fn sliding_counter<R: Redis>(
    redis: &R,
    limit: Limit,
    key: &str,
    now: Millis,
) -> Result<Decision, LimiterError> {
    let w = limit.window_ms();
    let max = limit.max();
    let window = now / w;
    let prev_key = previous_window_key(key, window);
    let cur_key = format!("{key}:{window}");
    let counts = match ok(redis, &[b"MGET", prev_key.as_bytes(), cur_key.as_bytes()]).await? {
        Reply::Array(items) => items,
        other => return Err(LimiterError::Redis(other)),
    };
    let prev = counts
        .first()
        .map(bulk_int)
        .transpose()?
        .flatten()
        .unwrap_or(0)
        .max(0) as u64;
    let cur = counts
        .get(1)
        .map(bulk_int)
        .transpose()?
        .flatten()
        .unwrap_or(0)
        .max(0) as u64;
    let elapsed = now % w;
    // floor((1 - elapsed/w) * prev) + cur, in integers.
    let weighted = (w - elapsed) * prev / w + cur;
    let reset = w - elapsed;
    if weighted >= max {
        // Refused before counting. It passes once the previous window's
        // weight has shrunk enough, or at the next window at the latest.
        let retry = retry_for_sliding(prev, cur, max, w, elapsed);
        return Ok(Decision {
            allowed: false,
            limit: max,
            remaining: 0,
            reset_ms: Some(reset),
            retry_after_ms: Some(retry),
        });
    }
    let n = int(redis, &[b"INCR", cur_key.as_bytes()]).await?;
    if n == 1 {
        int(
            redis,
            &[
                b"PEXPIRE",
                cur_key.as_bytes(),
                (2 * w).to_string().as_bytes(),
            ],
        )
        .await?;
    }
    Ok(Decision {
        allowed: true,
        limit: max,
        remaining: max.saturating_sub(weighted + 1),
        reset_ms: Some(reset),
        retry_after_ms: None,
    })
}

/// The previous window's counter. Window 0 has none: `:-1` names a key no
/// request ever counts in (reusing window 0's own key would count the
/// current window twice).
fn previous_window_key(key: &str, window: u64) -> String {
    match window.checked_sub(1) {
        Some(prev) => format!("{key}:{prev}"),
        None => format!("{key}:-1"),
    }
}

/// The first ms from now at which `floor((w - e)·prev / w) + cur < max`.
fn retry_for_sliding(prev: u64, cur: u64, max: u64, w: Millis, elapsed: Millis) -> Millis {
    if cur >= max || prev == 0 {
        return w - elapsed;
    }
    // Need (w - e')·prev < (max - cur)·w, i.e. e' > w - (max - cur)·w / prev.
    let need = w.saturating_sub((max - cur) * w / prev);
    let e = (need + 1).max(elapsed + 1);
    (e - elapsed).min(w - elapsed)
}

async fn sliding_log<R: Redis>(
    redis: &R,
    limit: Limit,
    key: &str,
    now: Millis,
    token: u64,
) -> Result<Decision, LimiterError> {
    let w = limit.window_ms();
    let max = limit.max();
    // Drop entries that left the window: scores <= now - w. Signed, so
    // that before the first whole window nothing goes (a floor at 0 would
    // drop a request made at time 0).
    let oldest_allowed = now as i64 - w as i64;
    int(
        redis,
        &[
            b"ZREMRANGEBYSCORE",
            key.as_bytes(),
            b"-inf",
            oldest_allowed.to_string().as_bytes(),
        ],
    )
    .await?;
    let count = int(redis, &[b"ZCARD", key.as_bytes()]).await?.max(0) as u64;
    if count >= max {
        let oldest = match ok(
            redis,
            &[b"ZRANGE", key.as_bytes(), b"0", b"0", b"WITHSCORES"],
        )
        .await?
        {
            Reply::Array(items) => items
                .get(1)
                .and_then(|s| bulk_int(s).ok().flatten())
                .unwrap_or(now as i64),
            _ => now as i64,
        };
        let retry = (oldest.max(0) as Millis + w).saturating_sub(now).max(1);
        return Ok(Decision {
            allowed: false,
            limit: max,
            remaining: 0,
            reset_ms: Some(retry),
            retry_after_ms: Some(retry),
        });
    }
    let member = format!("{now}-{token}");
    int(
        redis,
        &[
            b"ZADD",
            key.as_bytes(),
            now.to_string().as_bytes(),
            member.as_bytes(),
        ],
    )
    .await?;
    int(
        redis,
        &[b"PEXPIRE", key.as_bytes(), w.to_string().as_bytes()],
    )
    .await?;
    Ok(Decision {
        allowed: true,
        limit: max,
        remaining: max - count - 1,
        reset_ms: Some(w),
        retry_after_ms: None,
    })
}

async fn token_bucket<R: Redis>(
    redis: &R,
    limit: Limit,
    key: &str,
    now: Millis,
) -> Result<Decision, LimiterError> {
    let max = limit.max();
    // One token back every `interval` ms: `max` tokens per window.
    let interval = (limit.window_ms() / max).max(1);
    let fields = match ok(redis, &[b"HMGET", key.as_bytes(), b"tokens", b"refilledAt"]).await? {
        Reply::Array(items) => items,
        other => return Err(LimiterError::Redis(other)),
    };
    let stored_tokens = fields.first().map(bulk_int).transpose()?.flatten();
    let stored_at = fields.get(1).map(bulk_int).transpose()?.flatten();
    let (mut tokens, mut refilled_at) = match (stored_tokens, stored_at) {
        (Some(t), Some(at)) => (
            t.clamp(0, max as i64) as u64,
            (at.max(0) as Millis).min(now),
        ),
        _ => (max, now),
    };
    let refills = (now - refilled_at) / interval;
    if refills > 0 {
        tokens = (tokens + refills).min(max);
        refilled_at = if tokens == max {
            now
        } else {
            refilled_at + refills * interval
        };
    }
    let allowed = tokens >= 1;
    if allowed {
        tokens -= 1;
    }
    let (t, at) = (tokens.to_string(), refilled_at.to_string());
    int(
        redis,
        &[
            b"HSET",
            key.as_bytes(),
            b"tokens",
            t.as_bytes(),
            b"refilledAt",
            at.as_bytes(),
        ],
    )
    .await?;
    // Full again after (max - tokens) refills; then the key can go.
    let until_full =
        (max - tokens) * interval - (now - refilled_at).min(interval.saturating_sub(1));
    int(
        redis,
        &[
            b"PEXPIRE",
            key.as_bytes(),
            until_full.max(1).to_string().as_bytes(),
        ],
    )
    .await?;
    let next_token = interval - (now - refilled_at).min(interval - 1);
    Ok(Decision {
        allowed,
        limit: max,
        remaining: tokens,
        reset_ms: Some(until_full.max(1)),
        retry_after_ms: (!allowed).then_some(next_token),
    })
}

async fn gcra<R: Redis>(
    redis: &R,
    limit: Limit,
    key: &str,
    now: Millis,
) -> Result<Decision, LimiterError> {
    let max = limit.max();
    // Emission interval T, and a burst of `max`: τ = T·max = the window.
    let t = (limit.window_ms() / max).max(1);
    let tau = t * max;
    let reply = ok(redis, &[b"GET", key.as_bytes()]).await?;
    let tat = bulk_int(&reply)?.map_or(now, |v| v.max(0) as Millis);
    let new_tat = tat.max(now) + t;
    let allow_at = new_tat.saturating_sub(tau);
    if now < allow_at {
        let retry = allow_at - now;
        return Ok(Decision {
            allowed: false,
            limit: max,
            remaining: 0,
            reset_ms: Some(tat.saturating_sub(now)),
            retry_after_ms: Some(retry),
        });
    }
    let ttl = (new_tat - now).max(1);
    ok(
        redis,
        &[
            b"SET",
            key.as_bytes(),
            new_tat.to_string().as_bytes(),
            b"PX",
            ttl.to_string().as_bytes(),
        ],
    )
    .await?;
    let remaining = (now + tau).saturating_sub(new_tat) / t;
    Ok(Decision {
        allowed: true,
        limit: max,
        remaining,
        reset_ms: Some(ttl),
        retry_after_ms: None,
    })
}

/// The server-side versions: one `FCALL` of the playground's Redis
/// function per request (`store/functions/playground.lua` documents each
/// function's keys, arguments and reply). One round trip instead of two to
/// five, and nothing can run between the read and the write.
mod server {
    use super::*;

    /// `FCALL <function> <keys…> <args…>` and its reply as integers. An
    /// error reply (Redis down, a key of the wrong type, an argument out of
    /// range) is handed to the caller's fail-open/closed policy.
    async fn fcall<R: Redis>(
        redis: &R,
        function: &str,
        keys: &[&str],
        args: &[String],
    ) -> Result<Vec<i64>, LimiterError> {
        let nkeys = keys.len().to_string();
        let mut cmd: Vec<&[u8]> = vec![b"FCALL", function.as_bytes(), nkeys.as_bytes()];
        cmd.extend(keys.iter().map(|k| k.as_bytes()));
        cmd.extend(args.iter().map(|a| a.as_bytes()));
        match redis.call(&cmd).await {
            Reply::Array(items) => items
                .iter()
                .map(|r| match r {
                    Reply::Integer(n) => Ok(*n),
                    other => Err(LimiterError::Redis(other.clone())),
                })
                .collect(),
            other => Err(LimiterError::Redis(other)),
        }
    }

    /// Field `i` of a function's reply; a short reply is a broken contract,
    /// reported like any unexpected reply.
    fn at(reply: &[i64], i: usize) -> Result<i64, LimiterError> {
        reply
            .get(i)
            .copied()
            .ok_or_else(|| LimiterError::Redis(Reply::Error("ERR short function reply".into())))
    }

    fn ms(n: i64) -> Millis {
        n.max(0) as Millis
    }

    /// `pg_fixed_window` does INCR and, on the window's first request,
    /// PEXPIRE inside Redis: the same first-request windows as the
    /// `SET … NX` + `INCR` + `PTTL` sequence, in one round trip instead of
    /// three, and still no counter ever left without a TTL.
    pub(super) async fn fixed_atomic<R: Redis>(
        redis: &R,
        limit: Limit,
        key: &str,
    ) -> Result<Decision, LimiterError> {
        let reply = fcall(
            redis,
            "pg_fixed_window",
            &[key],
            &[limit.window_ms().to_string()],
        )
        .await?;
        let pttl = at(&reply, 1)?;
        Ok(counted(
            limit,
            at(&reply, 0)?,
            (pttl >= 0).then_some(ms(pttl)),
        ))
    }

    /// Clock-aligned windows through the same function: the "window" it is
    /// given is the time left in the aligned window, so the key dies with it.
    pub(super) async fn fixed_aligned<R: Redis>(
        redis: &R,
        limit: Limit,
        key: &str,
        now: Millis,
    ) -> Result<Decision, LimiterError> {
        let w = limit.window_ms();
        let window = now / w;
        let key = format!("{key}:{window}");
        let reset = (window + 1) * w - now;
        let reply = fcall(redis, "pg_fixed_window", &[&key], &[reset.to_string()]).await?;
        Ok(counted(limit, at(&reply, 0)?, Some(reset)))
    }

    /// Reply `{allowed, weighted total before this request, prev, cur}`.
    pub(super) async fn sliding_counter<R: Redis>(
        redis: &R,
        limit: Limit,
        key: &str,
        now: Millis,
    ) -> Result<Decision, LimiterError> {
        let w = limit.window_ms();
        let max = limit.max();
        let window = now / w;
        let prev_key = previous_window_key(key, window);
        let cur_key = format!("{key}:{window}");
        let reply = fcall(
            redis,
            "pg_sliding_counter",
            &[&prev_key, &cur_key],
            &[max.to_string(), w.to_string(), now.to_string()],
        )
        .await?;
        let elapsed = now % w;
        let weighted = at(&reply, 1)?.max(0) as u64;
        if at(&reply, 0)? != 1 {
            let (prev, cur) = (at(&reply, 2)?.max(0) as u64, at(&reply, 3)?.max(0) as u64);
            return Ok(Decision {
                allowed: false,
                limit: max,
                remaining: 0,
                reset_ms: Some(w - elapsed),
                retry_after_ms: Some(retry_for_sliding(prev, cur, max, w, elapsed)),
            });
        }
        Ok(Decision {
            allowed: true,
            limit: max,
            remaining: max.saturating_sub(weighted + 1),
            reset_ms: Some(w - elapsed),
            retry_after_ms: None,
        })
    }

    /// Reply `{allowed, entries in the window, oldest entry's time or -1}`.
    pub(super) async fn sliding_log<R: Redis>(
        redis: &R,
        limit: Limit,
        key: &str,
        now: Millis,
        token: u64,
    ) -> Result<Decision, LimiterError> {
        let w = limit.window_ms();
        let max = limit.max();
        let reply = fcall(
            redis,
            "pg_sliding_log",
            &[key],
            &[
                max.to_string(),
                w.to_string(),
                now.to_string(),
                format!("{now}-{token}"),
            ],
        )
        .await?;
        let count = at(&reply, 1)?.max(0) as u64;
        if at(&reply, 0)? == 1 {
            return Ok(Decision {
                allowed: true,
                limit: max,
                remaining: max.saturating_sub(count),
                reset_ms: Some(w),
                retry_after_ms: None,
            });
        }
        // The oldest entry leaves the window (and frees a place) at oldest + w.
        let oldest = at(&reply, 2)?;
        let oldest = if oldest < 0 { now } else { ms(oldest) };
        let retry = (oldest + w).saturating_sub(now).max(1);
        Ok(Decision {
            allowed: false,
            limit: max,
            remaining: 0,
            reset_ms: Some(retry),
            retry_after_ms: Some(retry),
        })
    }

    /// Token bucket (`pg_token_bucket`: tokens left, ms until full) and GCRA
    /// (`pg_gcra`: requests left, ms until the burst is whole) take the same
    /// arguments and reply alike: `{allowed, left, ms until whole, ms until
    /// a request would pass}`.
    pub(super) async fn bucket<R: Redis>(
        redis: &R,
        function: &str,
        limit: Limit,
        key: &str,
        now: Millis,
    ) -> Result<Decision, LimiterError> {
        let max = limit.max();
        let reply = fcall(
            redis,
            function,
            &[key],
            &[
                max.to_string(),
                limit.window_ms().to_string(),
                now.to_string(),
            ],
        )
        .await?;
        bucket_decision(max, &reply)
    }

    fn bucket_decision(max: u64, reply: &[i64]) -> Result<Decision, LimiterError> {
        let allowed = at(reply, 0)? == 1;
        Ok(Decision {
            allowed,
            limit: max,
            remaining: at(reply, 1)?.max(0) as u64,
            reset_ms: Some(ms(at(reply, 2)?)),
            retry_after_ms: (!allowed).then_some(ms(at(reply, 3)?).max(1)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(Cow<'static, str>, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string().into(), b.to_string()))
            .collect()
    }

    #[test]
    fn identifier_follows_the_article_exactly() {
        assert_eq!(
            identifier(
                &h(&[("x-forwarded-for", " 1.2.3.4 , 10.0.0.1")]),
                IdentifyBy::Ip
            ),
            "1.2.3.4"
        );
        assert_eq!(identifier(&h(&[]), IdentifyBy::Ip), "unknown");
        assert_eq!(
            identifier(&h(&[("x-forwarded-for", "")]), IdentifyBy::Ip),
            ""
        );
        assert_eq!(
            identifier(&h(&[("x-user-id", "u7")]), IdentifyBy::User),
            "u7"
        );
        assert_eq!(identifier(&h(&[]), IdentifyBy::Tenant), "anonymous");
    }

    #[test]
    fn sliding_retry_is_when_the_weight_drops_below_the_limit() {
        // prev 10, cur 0, max 5, w 1000, at e = 0: weighted = 10. Need
        // (1000 - e)·10/1000 < 5 → e > 500 → retry after 501 ms.
        assert_eq!(retry_for_sliding(10, 0, 5, 1000, 0), 501);
        assert_eq!(retry_for_sliding(0, 5, 5, 1000, 200), 800);
    }

    #[test]
    fn names_round_trip() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::parse(a.as_str()), Some(a));
        }
        assert_eq!(Algorithm::parse("GCRA"), Some(Algorithm::Gcra));
        assert_eq!(Algorithm::parse("leaky"), None);
    }
}
