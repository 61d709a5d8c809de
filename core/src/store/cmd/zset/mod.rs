//! Sorted-set commands. Scores are replied as Redis 7.0 does in RESP2:
//! `%.17g` text (see [`format_score`]).

mod bzpop;
mod zadd;
mod zalgebra;
mod zpop;
mod zrandmember;
mod zrange;
mod zrem;
mod zscore;

pub use bzpop::{with_key, BlockingZPop};
pub use zadd::ZAdd;
pub use zalgebra::{ZAlgebra, ZOp};
pub use zpop::ZPop;
pub use zrandmember::ZRandMember;
pub use zrange::{LexBound, LexRange, RangeKind, ZLexCount, ZRange, ZRangeStore, ZRangeVariant};
pub use zrem::{ZRem, ZRemRangeByLex, ZRemRangeByRank, ZRemRangeByScore};
pub use zscore::{ZCard, ZCount, ZMScore, ZRank, ZScore};

use super::flags::{DENYOOM, WRITE};
use super::keys::{ElementScan, ScanKind};
use super::{run, wrong_type, Spec};
use crate::store::keyspace::Keyspace;
use crate::store::reply::Reply;
use crate::store::types::zset::{format_score, ZSet};
use crate::store::value::Value;
use crate::time::Millis;

pub(crate) fn read_zset<'a>(
    ks: &'a mut Keyspace,
    key: &[u8],
    now: Millis,
) -> Result<Option<&'a ZSet>, Reply> {
    match ks.lookup_read(key, now) {
        None => Ok(None),
        Some(e) => match &e.value {
            Value::ZSet(z) => Ok(Some(z)),
            _ => Err(wrong_type()),
        },
    }
}

pub(crate) fn write_zset<'a>(
    ks: &'a mut Keyspace,
    key: &[u8],
    now: Millis,
) -> Result<Option<&'a mut ZSet>, Reply> {
    match ks.lookup_write(key, now) {
        None => Ok(None),
        Some(e) => match &mut e.value {
            Value::ZSet(z) => Ok(Some(z)),
            _ => Err(wrong_type()),
        },
    }
}

/// A score as a bulk reply.
pub(crate) fn score_reply(score: f64) -> Reply {
    Reply::bulk(format_score(score).into_bytes())
}

fn range_run(c: &mut super::Ctx, a: &[Vec<u8>], v: ZRangeVariant) -> Reply {
    ZRange::parse_as(a, v).map_or_else(|e| e, |r| r.apply(c))
}

pub const SPECS: &[Spec] = &[
    Spec {
        name: "zadd",
        arity: -4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<ZAdd>(c, a),
    },
    Spec {
        name: "zincrby",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| ZAdd::parse_zincrby(a).map_or_else(|e| e, |z| z.apply_zadd(c)),
    },
    Spec {
        name: "zrem",
        arity: -3,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| run::<ZRem>(c, a),
    },
    Spec {
        name: "zremrangebylex",
        arity: 4,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| run::<ZRemRangeByLex>(c, a),
    },
    Spec {
        name: "zremrangebyscore",
        arity: 4,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| run::<ZRemRangeByScore>(c, a),
    },
    Spec {
        name: "zcard",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<ZCard>(c, a),
    },
    Spec {
        name: "zscan",
        arity: -3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| ElementScan::parse_as(a, ScanKind::ZSet).map_or_else(|e| e, |s| s.apply(c)),
    },
    Spec {
        name: "zunionstore",
        arity: -4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| ZAlgebra::new(a, ZOp::Union, true, "zunionstore").apply(c),
    },
    Spec {
        name: "zinterstore",
        arity: -4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| ZAlgebra::new(a, ZOp::Inter, true, "zinterstore").apply(c),
    },
    Spec {
        name: "zdiffstore",
        arity: -4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| ZAlgebra::new(a, ZOp::Diff, true, "zdiffstore").apply(c),
    },
    Spec {
        name: "zunion",
        arity: -3,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| ZAlgebra::new(a, ZOp::Union, false, "zunion").apply(c),
    },
    Spec {
        name: "zinter",
        arity: -3,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| ZAlgebra::new(a, ZOp::Inter, false, "zinter").apply(c),
    },
    Spec {
        name: "zdiff",
        arity: -3,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| ZAlgebra::new(a, ZOp::Diff, false, "zdiff").apply(c),
    },
    Spec {
        name: "zintercard",
        arity: -3,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| ZAlgebra::new(a, ZOp::InterCard, false, "zintercard").apply(c),
    },
    Spec {
        name: "zscore",
        arity: 3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<ZScore>(c, a),
    },
    Spec {
        name: "zcount",
        arity: 4,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<ZCount>(c, a),
    },
    Spec {
        name: "zrank",
        arity: 3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| ZRank::parse_as(a, false).apply(c),
    },
    Spec {
        name: "zrevrank",
        arity: 3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| ZRank::parse_as(a, true).apply(c),
    },
    Spec {
        name: "zrange",
        arity: -4,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| range_run(c, a, ZRangeVariant::ZRange),
    },
    Spec {
        name: "zrandmember",
        arity: -2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<ZRandMember>(c, a),
    },
    Spec {
        name: "zrangestore",
        arity: -5,
        flags: WRITE | DENYOOM,
        keys: (1, 2, 1),
        run: |c, a| ZRangeStore::parse(a).map_or_else(|e| e, |z| z.apply(c)),
    },
    Spec {
        name: "zrangebyscore",
        arity: -4,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| range_run(c, a, ZRangeVariant::ByScore),
    },
    Spec {
        name: "zrevrange",
        arity: -4,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| range_run(c, a, ZRangeVariant::Rev),
    },
    Spec {
        name: "zrevrangebyscore",
        arity: -4,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| range_run(c, a, ZRangeVariant::RevByScore),
    },
    Spec {
        name: "zrangebylex",
        arity: -4,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| range_run(c, a, ZRangeVariant::ByLex),
    },
    Spec {
        name: "zrevrangebylex",
        arity: -4,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| range_run(c, a, ZRangeVariant::RevByLex),
    },
    Spec {
        name: "zlexcount",
        arity: 4,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<ZLexCount>(c, a),
    },
    Spec {
        name: "zremrangebyrank",
        arity: 4,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| run::<ZRemRangeByRank>(c, a),
    },
    Spec {
        name: "zmscore",
        arity: -3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<ZMScore>(c, a),
    },
    Spec {
        name: "zpopmin",
        arity: -2,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| ZPop::parse_as(a, false).map_or_else(|e| e, |p| p.apply(c)),
    },
    Spec {
        name: "zpopmax",
        arity: -2,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| ZPop::parse_as(a, true).map_or_else(|e| e, |p| p.apply(c)),
    },
    Spec {
        name: "zmpop",
        arity: -4,
        flags: WRITE,
        keys: (0, 0, 0),
        run: |c, a| super::mpop::MPop::parse(a, true, false).map_or_else(|e| e, |p| p.apply(c)),
    },
    Spec {
        name: "bzmpop",
        arity: -5,
        flags: WRITE,
        keys: (0, 0, 0),
        run: |c, a| super::mpop::MPop::parse(a, true, true).map_or_else(|e| e, |p| p.apply(c)),
    },
    // Blocking: with nothing to pop the console waits (see `bzpop`).
    Spec {
        name: "bzpopmin",
        arity: -3,
        flags: WRITE,
        keys: (1, -2, 1),
        run: |c, a| BlockingZPop::parse_as(a, false).map_or_else(|e| e, |p| p.apply(c)),
    },
    Spec {
        name: "bzpopmax",
        arity: -3,
        flags: WRITE,
        keys: (1, -2, 1),
        run: |c, a| BlockingZPop::parse_as(a, true).map_or_else(|e| e, |p| p.apply(c)),
    },
];
