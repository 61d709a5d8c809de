//! The twins of `playground.lua`, function for function. Read them side by
//! side: the same commands in the same order, the same checks, the same
//! `f64` arithmetic. `redis.pcall` whose error is handed back is `?` here.

use super::call;
use super::lua::{ceil, floor, fmt, int, ints, tonumber, tostring};
use crate::store::cmd::Ctx;
use crate::store::reply::Reply;

const LIMIT: f64 = 1_000_000.0;
const WINDOW: f64 = 86_400_000.0;
const TIME: f64 = 10_000_000_000_000.0;
const TOKEN: f64 = 100_000_000_000_000.0;

fn error(text: String) -> Reply {
    Reply::Error(text)
}

/// Builds a command line: text pieces and numbers (as Lua formats them).
enum A<'a> {
    S(&'a [u8]),
    N(f64),
}

impl A<'_> {
    fn to_arg(&self) -> Vec<u8> {
        match self {
            A::S(s) => s.to_vec(),
            A::N(n) => fmt(*n),
        }
    }
}

fn run(ctx: &mut Ctx, parts: &[A]) -> Reply {
    let args: Vec<Vec<u8>> = parts.iter().map(A::to_arg).collect();
    call(ctx, &args)
}

/// A `redis.call` in playground.lua: the function it is in (as
/// registered), its line, and the command it runs.
struct Site {
    function: &'static str,
    line: u32,
    command: &'static [u8],
}

/// `redis.call(site.command, …)`: an error reply aborts the function, and
/// Redis appends where it was raised (`… script: pg_gcra, on
/// @user_function:197.`). Most of these cannot fail on sane data; a value a
/// user stored by hand (a TAT of "nan") can make one.
fn raise(ctx: &mut Ctx, site: &Site, parts: &[A]) -> Result<Reply, Reply> {
    let mut args: Vec<Vec<u8>> = Vec::with_capacity(parts.len() + 1);
    args.push(site.command.to_vec());
    args.extend(parts.iter().map(A::to_arg));
    match call(ctx, &args) {
        Reply::Error(e) => Err(Reply::Error(format!(
            "{e} script: {}, on @user_function:{}.",
            site.function, site.line
        ))),
        other => Ok(other),
    }
}

const fn site(function: &'static str, line: u32, command: &'static [u8]) -> Site {
    Site {
        function,
        line,
        command,
    }
}

/// Every `redis.call` of playground.lua, by line; a test checks each
/// line of the Lua source calls that command inside that function.
const RELEASE_DEL: Site = site("pg_release_lock", 60, b"DEL");
const FIXED_PEXPIRE: Site = site("pg_fixed_window", 74, b"PEXPIRE");
const FIXED_PTTL: Site = site("pg_fixed_window", 76, b"PTTL");
const SLIDING_PEXPIRE: Site = site("pg_sliding_counter", 103, b"PEXPIRE");
const LOG_ZCARD: Site = site("pg_sliding_log", 120, b"ZCARD");
const LOG_ZADD: Site = site("pg_sliding_log", 123, b"ZADD");
const LOG_PEXPIRE: Site = site("pg_sliding_log", 124, b"PEXPIRE");
const LOG_ZRANGE: Site = site("pg_sliding_log", 128, b"ZRANGE");
const BUCKET_HSET: Site = site("pg_token_bucket", 165, b"HSET");
const BUCKET_PEXPIRE: Site = site("pg_token_bucket", 166, b"PEXPIRE");
const GCRA_SET: Site = site("pg_gcra", 197, b"SET");
const FENCED_DEL: Site = site("pg_acquire_fenced", 215, b"DEL");
const WRITE_HSET: Site = site("pg_fenced_write", 236, b"HSET");

#[cfg(test)]
const SITES: &[&Site] = &[
    &RELEASE_DEL,
    &FIXED_PEXPIRE,
    &FIXED_PTTL,
    &SLIDING_PEXPIRE,
    &LOG_ZCARD,
    &LOG_ZADD,
    &LOG_PEXPIRE,
    &LOG_ZRANGE,
    &BUCKET_HSET,
    &BUCKET_PEXPIRE,
    &GCRA_SET,
    &FENCED_DEL,
    &WRITE_HSET,
];

/// `redis.pcall` with the error handed straight back to the client.
fn pcall(ctx: &mut Ctx, parts: &[A]) -> Result<Reply, Reply> {
    match run(ctx, parts) {
        Reply::Error(e) => Err(Reply::Error(e)),
        other => Ok(other),
    }
}

/// A reply as the Lua number `tonumber(reply)` gives: nil reply → `false`
/// → `nil`; integers are numbers; bulk strings go through `tonumber`.
fn number(r: &Reply) -> Option<f64> {
    match r {
        Reply::Integer(n) => Some(*n as f64),
        Reply::Bulk(b) => tonumber(b),
        _ => None,
    }
}

fn key(keys: &[Vec<u8>], i: usize) -> &[u8] {
    keys.get(i).map(Vec::as_slice).unwrap_or_default()
}

fn the_check(
    name: &str,
    keys: &[Vec<u8>],
    nkeys: usize,
    args: &[Vec<u8>],
    max: &[f64],
    first: usize,
) -> Result<Vec<f64>, Reply> {
    if keys.len() != nkeys {
        return Err(error(format!("ERR {name} takes {nkeys} key(s)")));
    }
    let mut out = Vec::with_capacity(max.len());
    for (i, &m) in max.iter().enumerate() {
        let at = first + i;
        let value = args
            .get(at - 1)
            .filter(|s| !s.is_empty() && s.len() <= 15 && s.iter().all(u8::is_ascii_digit))
            .and_then(|s| tonumber(s))
            .filter(|&n| n <= m);
        match value {
            Some(n) => out.push(n),
            None => {
                let m = tostring(m);
                return Err(error(format!(
                    "ERR {name} argument {at} must be an integer from 0 to {m}"
                )));
            }
        }
    }
    Ok(out)
}

fn check(
    name: &str,
    keys: &[Vec<u8>],
    nkeys: usize,
    args: &[Vec<u8>],
    max: &[f64],
) -> Result<Vec<f64>, Reply> {
    the_check(name, keys, nkeys, args, max, 1)
}

fn arg3(a: &[f64]) -> (f64, f64, f64) {
    (
        a.first().copied().unwrap_or_default(),
        a.get(1).copied().unwrap_or_default(),
        a.get(2).copied().unwrap_or_default(),
    )
}

/// Runs a twin written with `?` and turns its early error into the reply.
fn reply(r: Result<Reply, Reply>) -> Reply {
    r.unwrap_or_else(|e| e)
}

pub fn release_lock(ctx: &mut Ctx, keys: &[Vec<u8>], args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let Some(token) = args.first() else {
            return Err(error("ERR pg_release_lock takes 1 key and a token".into()));
        };
        if keys.len() != 1 {
            return Err(error("ERR pg_release_lock takes 1 key and a token".into()));
        }
        let k = key(keys, 0);
        let v = pcall(ctx, &[A::S(b"GET"), A::S(k)])?;
        if v == Reply::Bulk(token.clone()) {
            return raise(ctx, &RELEASE_DEL, &[A::S(k)]);
        }
        Ok(int(0.0))
    })())
}

pub fn fixed_window(ctx: &mut Ctx, keys: &[Vec<u8>], args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let a = check("pg_fixed_window", keys, 1, args, &[WINDOW])?;
        let k = key(keys, 0);
        let n = number(&pcall(ctx, &[A::S(b"INCR"), A::S(k)])?).unwrap_or_default();
        if n == 1.0 {
            raise(ctx, &FIXED_PEXPIRE, &[A::S(k), A::N(arg3(&a).0)])?;
        }
        let pttl = number(&raise(ctx, &FIXED_PTTL, &[A::S(k)])?).unwrap_or_default();
        Ok(ints(&[n, pttl]))
    })())
}

pub fn sliding_counter(ctx: &mut Ctx, keys: &[Vec<u8>], args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let a = check("pg_sliding_counter", keys, 2, args, &[LIMIT, WINDOW, TIME])?;
        let (limit, w, now) = arg3(&a);
        if w == 0.0 {
            return Err(error(
                "ERR pg_sliding_counter window must be positive".into(),
            ));
        }
        let (pk, ck) = (key(keys, 0), key(keys, 1));
        let p = pcall(ctx, &[A::S(b"GET"), A::S(pk)])?;
        let c = pcall(ctx, &[A::S(b"GET"), A::S(ck)])?;
        let prev = number(&p).unwrap_or(0.0);
        let mut cur = number(&c).unwrap_or(0.0);
        let elapsed = lua_mod(now, w);
        let weighted = floor((w - elapsed) * prev / w) + cur;
        if weighted >= limit {
            return Ok(ints(&[0.0, weighted, prev, cur]));
        }
        cur = number(&pcall(ctx, &[A::S(b"INCR"), A::S(ck)])?).unwrap_or_default();
        if cur == 1.0 {
            raise(ctx, &SLIDING_PEXPIRE, &[A::S(ck), A::N(2.0 * w)])?;
        }
        Ok(ints(&[1.0, weighted, prev, cur]))
    })())
}

/// Lua 5.1's `a % b`: `a - floor(a / b) * b`.
fn lua_mod(a: f64, b: f64) -> f64 {
    a - floor(a / b) * b
}

pub fn sliding_log(ctx: &mut Ctx, keys: &[Vec<u8>], args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let a = check("pg_sliding_log", keys, 1, args, &[LIMIT, WINDOW, TIME])?;
        let (limit, w, now) = arg3(&a);
        let Some(member) = args.get(3) else {
            return Err(error("ERR pg_sliding_log takes a member".into()));
        };
        let k = key(keys, 0);
        pcall(
            ctx,
            &[
                A::S(b"ZREMRANGEBYSCORE"),
                A::S(k),
                A::S(b"-inf"),
                A::N(now - w),
            ],
        )?;
        let mut count = number(&raise(ctx, &LOG_ZCARD, &[A::S(k)])?).unwrap_or_default();
        let mut allowed = 0.0;
        if count < limit {
            raise(ctx, &LOG_ZADD, &[A::S(k), A::N(now), A::S(member)])?;
            raise(ctx, &LOG_PEXPIRE, &[A::S(k), A::N(w)])?;
            count += 1.0;
            allowed = 1.0;
        }
        let oldest = raise(
            ctx,
            &LOG_ZRANGE,
            &[A::S(k), A::N(0.0), A::N(0.0), A::S(b"WITHSCORES")],
        )?;
        let first = match &oldest {
            // `if oldest[2] then first = tonumber(oldest[2])`: a present
            // score that is not a number would make `first` nil, which ends
            // the table early; scores always are numbers, so -1 stands.
            Reply::Array(items) => items.get(1).and_then(number).unwrap_or(-1.0),
            _ => -1.0,
        };
        Ok(ints(&[allowed, count, first]))
    })())
}

pub fn token_bucket(ctx: &mut Ctx, keys: &[Vec<u8>], args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let a = check("pg_token_bucket", keys, 1, args, &[LIMIT, WINDOW, TIME])?;
        let (capacity, w, now) = arg3(&a);
        if capacity == 0.0 || w == 0.0 {
            return Err(error(
                "ERR pg_token_bucket capacity and window must be positive".into(),
            ));
        }
        let full = capacity * w;
        let k = key(keys, 0);
        let state = pcall(
            ctx,
            &[A::S(b"HMGET"), A::S(k), A::S(b"tokens"), A::S(b"ts")],
        )?;
        let field = |i: usize| match &state {
            Reply::Array(items) => items.get(i).and_then(number),
            _ => None,
        };
        let mut tokens = field(0).unwrap_or(full);
        let mut ts = field(1).unwrap_or(now);
        if now > ts {
            tokens = full.min(tokens + (now - ts) * capacity);
            ts = now;
        }
        let mut allowed = 0.0;
        let mut retry = 0.0;
        if tokens >= w {
            tokens -= w;
            allowed = 1.0;
        } else {
            retry = ceil((w - tokens) / capacity);
        }
        let until_full = ceil((full - tokens) / capacity);
        raise(
            ctx,
            &BUCKET_HSET,
            &[
                A::S(k),
                A::S(b"tokens"),
                A::N(tokens),
                A::S(b"ts"),
                A::N(ts),
            ],
        )?;
        raise(ctx, &BUCKET_PEXPIRE, &[A::S(k), A::N(until_full + 1.0)])?;
        Ok(ints(&[allowed, floor(tokens / w), until_full, retry]))
    })())
}

pub fn gcra(ctx: &mut Ctx, keys: &[Vec<u8>], args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let a = check("pg_gcra", keys, 1, args, &[LIMIT, WINDOW, TIME])?;
        let (limit, w, at) = arg3(&a);
        if limit == 0.0 || w == 0.0 {
            return Err(error(
                "ERR pg_gcra limit and window must be positive".into(),
            ));
        }
        if (at + w) * limit >= 100_000_000_000_000.0 {
            return Err(error(
                "ERR pg_gcra (now + window) * limit must stay below 1e14".into(),
            ));
        }
        let now = at * limit;
        let k = key(keys, 0);
        let t = pcall(ctx, &[A::S(b"GET"), A::S(k)])?;
        let mut tat = number(&t).unwrap_or(now);
        if tat < now {
            tat = now;
        }
        let burst = w * limit;
        if tat + w - now > burst {
            let retry = ceil((tat + w - now - burst) / limit);
            return Ok(ints(&[0.0, 0.0, ceil((tat - now) / limit), retry]));
        }
        tat += w;
        let ahead = tat - now;
        raise(
            ctx,
            &GCRA_SET,
            &[A::S(k), A::N(tat), A::S(b"PX"), A::N(ceil(ahead / limit))],
        )?;
        Ok(ints(&[
            1.0,
            floor((burst - ahead) / w),
            ceil(ahead / limit),
            0.0,
        ]))
    })())
}

pub fn acquire_fenced(ctx: &mut Ctx, keys: &[Vec<u8>], args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let Some(owner) = args.first().filter(|_| keys.len() == 2) else {
            return Err(error(
                "ERR pg_acquire_fenced takes 2 keys, an owner and a ttl".into(),
            ));
        };
        let a = the_check("pg_acquire_fenced", keys, 2, args, &[WINDOW], 2)?;
        let ttl = arg3(&a).0;
        if ttl == 0.0 {
            return Err(error("ERR pg_acquire_fenced ttl must be positive".into()));
        }
        let (lock, fence) = (key(keys, 0), key(keys, 1));
        let ok = pcall(
            ctx,
            &[
                A::S(b"SET"),
                A::S(lock),
                A::S(owner),
                A::S(b"NX"),
                A::S(b"PX"),
                A::N(ttl),
            ],
        )?;
        if ok != Reply::Nil {
            return match pcall(ctx, &[A::S(b"INCR"), A::S(fence)]) {
                // The token passes through a Lua number: beyond 2^53 it
                // rounds, as Redis's does.
                Ok(token) => Ok(int(number(&token).unwrap_or_default())),
                Err(e) => {
                    raise(ctx, &FENCED_DEL, &[A::S(lock)])?;
                    Err(e)
                }
            };
        }
        // Lua `false` becomes a nil reply.
        Ok(Reply::Nil)
    })())
}

pub fn fenced_write(ctx: &mut Ctx, keys: &[Vec<u8>], args: &[Vec<u8>]) -> Reply {
    reply((|| {
        let a = check("pg_fenced_write", keys, 1, args, &[TOKEN])?;
        let Some(value) = args.get(1) else {
            return Err(error(
                "ERR pg_fenced_write takes a token and a value".into(),
            ));
        };
        let token = arg3(&a).0;
        let k = key(keys, 0);
        let t = pcall(ctx, &[A::S(b"HGET"), A::S(k), A::S(b"token")])?;
        let last = number(&t).unwrap_or(0.0);
        if token < last {
            return Ok(int(0.0));
        }
        raise(
            ctx,
            &WRITE_HSET,
            &[
                A::S(k),
                A::S(b"value"),
                A::S(value),
                A::S(b"token"),
                A::N(token),
            ],
        )?;
        Ok(int(1.0))
    })())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::functions::LIBRARY_SOURCE;

    /// The line numbers an aborted function reports must be the Lua's:
    /// each site names a line that calls its command, inside the function
    /// registered under its name, and every `redis.call` has a site.
    #[test]
    fn every_redis_call_site_matches_the_lua_source() {
        let lines: Vec<&str> = LIBRARY_SOURCE.lines().collect();
        for site in SITES {
            let command = String::from_utf8_lossy(site.command);
            let at = site.line as usize;
            let line = lines.get(at - 1).copied().unwrap_or_default();
            assert!(
                line.contains(&format!("redis.call('{command}'")),
                "line {at} does not call {command}: {line:?}"
            );
            let local = lines
                .get(..at)
                .unwrap_or_default()
                .iter()
                .rev()
                .find_map(|l| l.strip_prefix("local function "))
                .and_then(|l| l.split('(').next())
                .unwrap_or_default();
            assert!(
                LIBRARY_SOURCE.contains(&format!(
                    "redis.register_function('{}', {local})",
                    site.function
                )),
                "line {at} is in `{local}`, not {}",
                site.function
            );
        }
        let calls = lines
            .iter()
            .filter(|l| !l.trim_start().starts_with("--") && l.contains("redis.call("))
            .count();
        assert_eq!(calls, SITES.len(), "a redis.call without a site");
    }
}
