//! Set commands, as Redis 7.0 answers them. A set is an intset or a
//! hashtable (see `types::set`); the commands that build a new set
//! (SINTERSTORE, SUNIONSTORE, SDIFFSTORE) start from an intset, as Redis's
//! do, so the result's encoding says what went into it.

mod algebra;
mod random;
mod sadd;
mod smembers;
mod smove;

pub use algebra::{Algebra, Op, SInterCard};
pub use random::{SPop, SRandMember};
pub use sadd::{SAdd, SRem};
pub use smembers::{SCard, SIsMember, SMIsMember};
pub use smove::SMove;

use super::flags::{DENYOOM, WRITE};
use super::keys::{ElementScan, ScanKind};
use super::{run, wrong_type, Spec};
use crate::store::keyspace::Keyspace;
use crate::store::reply::Reply;
use crate::store::value::{Set, Value};
use crate::time::Millis;

/// The set at `key` for a read command (counts a hit or miss): `Ok(None)`
/// when absent, WRONGTYPE for another type.
pub(crate) fn read_set<'a>(
    ks: &'a mut Keyspace,
    key: &[u8],
    now: Millis,
) -> Result<Option<&'a Set>, Reply> {
    match ks.lookup_read(key, now) {
        None => Ok(None),
        Some(e) => match &e.value {
            Value::Set(s) => Ok(Some(s)),
            _ => Err(wrong_type()),
        },
    }
}

/// The set at `key` for a write command, `Ok(None)` when absent.
pub(crate) fn write_set<'a>(
    ks: &'a mut Keyspace,
    key: &[u8],
    now: Millis,
) -> Result<Option<&'a mut Set>, Reply> {
    match ks.lookup_write(key, now) {
        None => Ok(None),
        Some(e) => match &mut e.value {
            Value::Set(s) => Ok(Some(s)),
            _ => Err(wrong_type()),
        },
    }
}

pub const SPECS: &[Spec] = &[
    Spec {
        name: "sadd",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<SAdd>(c, a),
    },
    Spec {
        name: "srem",
        arity: -3,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| run::<SRem>(c, a),
    },
    Spec {
        name: "smove",
        arity: 4,
        flags: WRITE,
        keys: (1, 2, 1),
        run: |c, a| run::<SMove>(c, a),
    },
    Spec {
        name: "spop",
        arity: -2,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| run::<SPop>(c, a),
    },
    Spec {
        name: "srandmember",
        arity: -2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<SRandMember>(c, a),
    },
    Spec {
        name: "scard",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<SCard>(c, a),
    },
    Spec {
        name: "sismember",
        arity: 3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<SIsMember>(c, a),
    },
    Spec {
        name: "smismember",
        arity: -3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<SMIsMember>(c, a),
    },
    Spec {
        name: "sscan",
        arity: -3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| ElementScan::parse_as(a, ScanKind::Set).map_or_else(|e| e, |s| s.apply(c)),
    },
    // Redis 7.0 answers SMEMBERS with SINTER's code, for one key.
    Spec {
        name: "smembers",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| Algebra::parse_as(a, Op::Inter, false).apply(c),
    },
    Spec {
        name: "sinter",
        arity: -2,
        flags: 0,
        keys: (1, -1, 1),
        run: |c, a| Algebra::parse_as(a, Op::Inter, false).apply(c),
    },
    Spec {
        name: "sinterstore",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, -1, 1),
        run: |c, a| Algebra::parse_as(a, Op::Inter, true).apply(c),
    },
    Spec {
        name: "sintercard",
        arity: -3,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<SInterCard>(c, a),
    },
    Spec {
        name: "sunion",
        arity: -2,
        flags: 0,
        keys: (1, -1, 1),
        run: |c, a| Algebra::parse_as(a, Op::Union, false).apply(c),
    },
    Spec {
        name: "sunionstore",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, -1, 1),
        run: |c, a| Algebra::parse_as(a, Op::Union, true).apply(c),
    },
    Spec {
        name: "sdiff",
        arity: -2,
        flags: 0,
        keys: (1, -1, 1),
        run: |c, a| Algebra::parse_as(a, Op::Diff, false).apply(c),
    },
    Spec {
        name: "sdiffstore",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, -1, 1),
        run: |c, a| Algebra::parse_as(a, Op::Diff, true).apply(c),
    },
];
