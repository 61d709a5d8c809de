//! Hash commands. A hash is an insertion-ordered map, as a small Redis hash
//! (a listpack) keeps its fields, so HGETALL/HKEYS/HVALS order matches.

mod hdel;
mod hget;
mod hgetall;
mod hincrby;
mod hincrbyfloat;
mod hrandfield;
mod hset;

pub use hdel::HDel;
pub use hget::{HExists, HGet, HLen, HMGet, HStrLen};
pub use hgetall::{HGetAll, HGetAllPart};
pub use hincrby::HIncrBy;
pub use hincrbyfloat::HIncrByFloat;
pub use hrandfield::HRandField;
pub use hset::HSet;

use super::flags::{DENYOOM, WRITE};
use super::keys::{ElementScan, ScanKind};
use super::{run, wrong_type, Spec};
use crate::store::keyspace::Keyspace;
use crate::store::reply::Reply;
use crate::store::value::{Hash, Value};
use crate::time::Millis;

/// The hash at `key` for a read command: `Ok(None)` when absent, WRONGTYPE
/// for another type.
pub(crate) fn read_hash<'a>(
    ks: &'a mut Keyspace,
    key: &[u8],
    now: Millis,
) -> Result<Option<&'a Hash>, Reply> {
    match ks.lookup_read(key, now) {
        None => Ok(None),
        Some(e) => match &e.value {
            Value::Hash(h) => Ok(Some(h)),
            _ => Err(wrong_type()),
        },
    }
}

/// The hash at `key` for a write command, `Ok(None)` when absent.
pub(crate) fn write_hash<'a>(
    ks: &'a mut Keyspace,
    key: &[u8],
    now: Millis,
) -> Result<Option<&'a mut Hash>, Reply> {
    match ks.lookup_write(key, now) {
        None => Ok(None),
        Some(e) => match &mut e.value {
            Value::Hash(h) => Ok(Some(h)),
            _ => Err(wrong_type()),
        },
    }
}

/// The hash at `key`, created empty when absent (Redis's
/// `hashTypeLookupWriteOrCreate`); WRONGTYPE for another type.
pub(crate) fn write_or_create_hash<'a>(
    ks: &'a mut Keyspace,
    key: &[u8],
    now: Millis,
) -> Result<&'a mut Hash, Reply> {
    if write_hash(ks, key, now)?.is_none() {
        ks.set(key, Value::Hash(Hash::new()), false, now);
    }
    write_hash(ks, key, now)?.ok_or_else(wrong_type)
}

pub const SPECS: &[Spec] = &[
    Spec {
        name: "hset",
        arity: -4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| HSet::parse_as(a, "hset").map_or_else(|e| e, |h| h.apply(c)),
    },
    Spec {
        name: "hmset",
        arity: -4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| HSet::parse_as(a, "hmset").map_or_else(|e| e, |h| h.apply(c)),
    },
    Spec {
        name: "hsetnx",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| HSet::parse_as(a, "hsetnx").map_or_else(|e| e, |h| h.apply(c)),
    },
    Spec {
        name: "hget",
        arity: 3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<HGet>(c, a),
    },
    Spec {
        name: "hmget",
        arity: -3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<HMGet>(c, a),
    },
    Spec {
        name: "hexists",
        arity: 3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<HExists>(c, a),
    },
    Spec {
        name: "hlen",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<HLen>(c, a),
    },
    Spec {
        name: "hscan",
        arity: -3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| ElementScan::parse_as(a, ScanKind::Hash).map_or_else(|e| e, |s| s.apply(c)),
    },
    Spec {
        name: "hrandfield",
        arity: -2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<HRandField>(c, a),
    },
    Spec {
        name: "hgetall",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| HGetAll::parse_part(a, HGetAllPart::Both).apply(c),
    },
    Spec {
        name: "hkeys",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| HGetAll::parse_part(a, HGetAllPart::Keys).apply(c),
    },
    Spec {
        name: "hvals",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| HGetAll::parse_part(a, HGetAllPart::Values).apply(c),
    },
    Spec {
        name: "hdel",
        arity: -3,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| run::<HDel>(c, a),
    },
    Spec {
        name: "hincrby",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<HIncrBy>(c, a),
    },
    Spec {
        name: "hincrbyfloat",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<HIncrByFloat>(c, a),
    },
    Spec {
        name: "hstrlen",
        arity: 3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<HStrLen>(c, a),
    },
];
