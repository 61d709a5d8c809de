//! `BLPOP`, `BRPOP`, `BLMOVE` and `BRPOPLPUSH`: a worker waiting on an
//! empty queue (and the timeout and wait that `BZPOPMIN` shares). With an element ready they answer at once, exactly as
//! `LPOP`/`RPOP`/`LMOVE` would. With none, a client that may block (the
//! console, outside MULTI) leaves a [`BlockRequest`] for the store, which
//! answers later: when another client pushes onto a key it waits on, or
//! when its timeout passes on the virtual clock. Anywhere else (inside
//! MULTI, or any other client) the command answers `(nil)` at once, as
//! Redis does for a client that must not block.
//!
//! In Redis 7.0's order: the directions of BLMOVE are read first (a
//! syntax error), then the timeout, then the keys, in argument order; the
//! first key holding a non-empty list is served, and a key of another type
//! met before it is WRONGTYPE.

use super::lmove::LMove;
use super::{write_list, End};
use crate::store::cmd::{arg, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;
use crate::store::types::longdouble::LongDouble;
use crate::time::Millis;

/// What a blocked client waits to do once a key has elements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wait {
    /// BLPOP (left) or BRPOP (right): answers `[key, element]`.
    Pop(End),
    /// BLMOVE or BRPOPLPUSH: answers the element moved.
    Move {
        destination: Vec<u8>,
        from: End,
        to: End,
    },
    /// BZPOPMIN or BZPOPMAX (`max`): answers `[key, member, score]`.
    ZPop { max: bool },
    /// BLMPOP or BZMPOP (`zset`): up to `count` from the left or min end
    /// (or, `tail`, the right or max end); answers `[key, [popped…]]`.
    MPop { zset: bool, tail: bool, count: u64 },
    /// SUBSCRIBE or PSUBSCRIBE: redis-cli's subscribed mode, printing each
    /// message as it comes, until Esc (Ctrl-C). Never a final answer.
    Messages,
}

impl Wait {
    /// The type a waited-on key must hold to serve it: a list, or a sorted
    /// set for BZPOPMIN/BZPOPMAX (a list made there does not serve those).
    pub fn key_type(&self) -> &'static str {
        match self {
            Wait::ZPop { .. } | Wait::MPop { zset: true, .. } => "zset",
            _ => "list",
        }
    }
}

/// A command that found nothing and may block: the store keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockRequest {
    pub keys: Vec<Vec<u8>>,
    pub wait: Wait,
    /// Virtual time the wait ends with `(nil)`; `None` waits for ever
    /// (a timeout of 0).
    pub deadline: Option<Millis>,
}

/// Redis 7.0's `getTimeoutFromObjectOrReply` in seconds: a long double,
/// times 1000, rounded up to whole milliseconds (so 0.0001 s is 1 ms, and
/// -0.0001 s rounds to 0, which waits for ever). A value whose milliseconds
/// do not fit a `long long` (infinity, 1e17 s) converts to its most
/// negative value on x86, hence "negative". `Ok(0)` means no timeout.
pub fn parse_timeout(text: &[u8]) -> Result<Millis, Reply> {
    let negative = || Reply::error("ERR timeout is negative");
    let (neg, mant, exp) = match LongDouble::parse(text) {
        Err(_) => return Err(Reply::error("ERR timeout is not a float or out of range")),
        Ok(LongDouble::Inf { .. }) => return Err(negative()),
        Ok(LongDouble::Finite { neg, mant, exp }) => (neg, mant, exp),
    };
    // |value| × 1000 = mant × 1000 × 2^exp, rounded to a long double's
    // 64-bit mantissa as the x87 multiplication rounds it (so 0.1 s is
    // 100 ms, not the 101 that 0.1L's excess would make), then: floor,
    // and whether a fraction was dropped.
    let (scaled, exp) = round_to_64_bits(u128::from(mant) * 1_000, exp);
    let (floor, fraction) = if exp >= 0 {
        let shift = u32::try_from(exp).unwrap_or(u32::MAX);
        // 2^63 ms or more does not fit a long long.
        let bits = 128 - scaled.leading_zeros();
        if scaled != 0 && bits.saturating_add(shift) >= 64 {
            return Err(negative());
        }
        (scaled.checked_shl(shift).unwrap_or(0), false)
    } else {
        let shift = u32::try_from(exp.unsigned_abs()).unwrap_or(u32::MAX);
        if shift >= 128 {
            (0, scaled != 0)
        } else {
            (scaled >> shift, scaled & ((1u128 << shift) - 1) != 0)
        }
    };
    if neg {
        // ceil(-x) = -floor(x): zero (waits for ever) unless a whole
        // millisecond or more.
        return if floor == 0 { Ok(0) } else { Err(negative()) };
    }
    let ceil = floor + u128::from(fraction);
    match u64::try_from(ceil) {
        Ok(ms) if ms < 1 << 63 => Ok(ms),
        _ => Err(negative()),
    }
}

/// `value × 2^exp` with `value` rounded to 64 significant bits, ties to even.
fn round_to_64_bits(value: u128, exp: i64) -> (u128, i64) {
    let bits = 128 - value.leading_zeros();
    if bits <= 64 {
        return (value, exp);
    }
    let k = bits - 64;
    let kept = value >> k;
    let rest = value & ((1u128 << k) - 1);
    let half = 1u128 << (k - 1);
    let up = rest > half || (rest == half && kept & 1 == 1);
    // A carry out of 64 bits is still exact with one more exponent step.
    (kept + u128::from(up), exp + i64::from(k))
}

/// The deadline for a timeout read by [`parse_timeout`], from `now`.
pub fn deadline(now: Millis, timeout: Millis) -> Option<Millis> {
    (timeout > 0).then(|| now.saturating_add(timeout))
}

/// `BLPOP key [key …] timeout` and `BRPOP`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockingPop {
    pub keys: Vec<Vec<u8>>,
    pub end: End,
    pub timeout: Millis,
}

/// `key [key …] timeout` (BLPOP, BRPOP, BZPOPMIN, BZPOPMAX): the timeout,
/// read first as Redis reads it, then the keys.
pub fn keys_then_timeout(args: &[Vec<u8>]) -> Result<(Vec<Vec<u8>>, Millis), Reply> {
    let n = args.len();
    let timeout = parse_timeout(&arg(args, n.saturating_sub(1)))?;
    let keys = args
        .get(1..n.saturating_sub(1))
        .unwrap_or_default()
        .to_vec();
    Ok((keys, timeout))
}

impl BlockingPop {
    pub fn parse_as(args: &[Vec<u8>], end: End) -> Result<Self, Reply> {
        let (keys, timeout) = keys_then_timeout(args)?;
        Ok(BlockingPop { keys, end, timeout })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        for key in &self.keys {
            let popped = match write_list(ctx.ks, key, now) {
                Err(e) => return e,
                Ok(Some(l)) => match self.end {
                    End::Left => l.pop_front(),
                    End::Right => l.pop_back(),
                },
                Ok(None) => None,
            };
            if let Some(element) = popped {
                ctx.ks.notify(notify::LIST, self.end.pop_event(), key);
                ctx.ks.delete_if_empty(key, now);
                return Reply::Array(vec![Reply::Bulk(key.clone()), Reply::Bulk(element)]);
            }
        }
        if ctx.server.may_block {
            ctx.server.block_request = Some(BlockRequest {
                keys: self.keys,
                wait: Wait::Pop(self.end),
                deadline: deadline(now, self.timeout),
            });
        }
        Reply::Nil
    }
}

/// `BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout` and
/// `BRPOPLPUSH source destination timeout`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockingMove {
    pub step: LMove,
    pub timeout: Millis,
}

impl BlockingMove {
    pub fn parse_blmove(args: &[Vec<u8>]) -> Result<Self, Reply> {
        let step = LMove::parse_lmove(args)?;
        Ok(BlockingMove {
            step,
            timeout: parse_timeout(&arg(args, 5))?,
        })
    }

    pub fn parse_brpoplpush(args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(BlockingMove {
            step: LMove::parse_rpoplpush(args),
            timeout: parse_timeout(&arg(args, 3))?,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        // LMOVE answers nil exactly when the source has nothing (a missing
        // key): then this waits, and the destination is not looked at yet.
        let reply = self.step.apply(ctx);
        if reply == Reply::Nil && ctx.server.may_block {
            let LMove {
                source,
                destination,
                from,
                to,
            } = self.step;
            ctx.server.block_request = Some(BlockRequest {
                keys: vec![source],
                wait: Wait::Move {
                    destination,
                    from,
                    to,
                },
                deadline: deadline(ctx.now, self.timeout),
            });
        }
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeout(s: &str) -> Result<Millis, String> {
        parse_timeout(s.as_bytes()).map_err(|e| match e {
            Reply::Error(t) => t,
            other => format!("{other:?}"),
        })
    }

    /// Each case was read from redis-server 7.0.15 (`BLPOP q <t>` on an
    /// empty key: blocks, answers nil at once, or errs).
    #[test]
    fn timeouts_read_as_redis_7_0_reads_them() {
        let negative = Err("ERR timeout is negative".to_string());
        let not_float = Err("ERR timeout is not a float or out of range".to_string());
        assert_eq!(timeout("0"), Ok(0));
        assert_eq!(timeout("-0"), Ok(0));
        assert_eq!(timeout("-0.0001"), Ok(0), "rounds up to zero: for ever");
        assert_eq!(timeout("0.0001"), Ok(1), "rounds up to 1 ms");
        assert_eq!(timeout("1e-10"), Ok(1));
        assert_eq!(timeout("0.05"), Ok(50));
        assert_eq!(timeout("0.1"), Ok(100), "0.1L × 1000 rounds to 100");
        assert_eq!(timeout("0.3"), Ok(300));
        assert_eq!(timeout("2.675"), Ok(2_675));
        assert_eq!(timeout("0.1001"), Ok(101));
        assert_eq!(timeout("1.5"), Ok(1_500));
        assert_eq!(timeout("+1"), Ok(1_000));
        assert_eq!(timeout("0x10"), Ok(16_000));
        assert_eq!(timeout("9223372036854775"), Ok(9_223_372_036_854_775_000));
        assert_eq!(timeout("-0.9"), negative);
        assert_eq!(timeout("-1"), negative);
        assert_eq!(timeout("inf"), negative);
        assert_eq!(timeout("-inf"), negative);
        assert_eq!(timeout("92233720368547758"), negative);
        assert_eq!(timeout("1e20"), negative);
        assert_eq!(timeout("nan"), not_float);
        assert_eq!(timeout("abc"), not_float);
        assert_eq!(timeout(""), not_float);
        assert_eq!(timeout(" 1"), not_float);
        assert_eq!(timeout("1 "), not_float);
    }

    #[test]
    fn huge_or_odd_timeouts_never_panic() {
        for t in [
            "1e4931",
            "-1e4931",
            "1e-4940",
            "0x1p16383",
            "0x1p-16445",
            "1e308",
            "-1e-308",
            "18446744073709551616",
            "9223372036854775.807",
            "0x.8",
        ] {
            let _ = parse_timeout(t.as_bytes());
        }
    }
}
