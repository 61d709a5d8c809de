//! String commands.

mod append;
mod bits;
mod get;
mod getdel;
mod getex;
mod getrange;
mod getset;
mod incr;
mod incrbyfloat;
mod mget;
mod mset;
mod set;
mod setex;
mod setnx;
mod strlen;

pub use append::Append;
pub use bits::{BitCount, BitOp, BitOpKind, BitPos, GetBit, SetBit};
pub use getdel::GetDel;
pub use getex::GetEx;
pub use getrange::{GetRange, SetRange, MAX_SETRANGE_LEN};
pub use getset::GetSet;
pub use incrbyfloat::IncrByFloat;
pub use mget::MGet;
pub use mset::MSet;
pub use setex::SetEx;
pub use setnx::SetNx;
pub use strlen::StrLen;

pub use get::Get;
pub use incr::IncrBy;
pub use set::{Expiry, Set, SetCondition};

use super::flags::{DENYOOM, WRITE};
use super::{run, Ctx, Spec};
use crate::store::reply::Reply;

fn incr_by(ctx: &mut Ctx, parsed: Result<IncrBy, Reply>) -> Reply {
    parsed.map_or_else(|e| e, |c| c.apply(ctx))
}

pub const SPECS: &[Spec] = &[
    Spec {
        name: "get",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<Get>(c, a),
    },
    Spec {
        name: "set",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<Set>(c, a),
    },
    Spec {
        name: "incr",
        arity: 2,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| incr_by(c, IncrBy::parse_incr(a, 1)),
    },
    Spec {
        name: "decr",
        arity: 2,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| incr_by(c, IncrBy::parse_incr(a, -1)),
    },
    Spec {
        name: "incrby",
        arity: 3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| incr_by(c, IncrBy::parse_incrby(a)),
    },
    Spec {
        name: "decrby",
        arity: 3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| incr_by(c, IncrBy::parse_decrby(a)),
    },
    Spec {
        name: "setnx",
        arity: 3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<SetNx>(c, a),
    },
    Spec {
        name: "setex",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| SetEx::parse(a, false).map_or_else(|e| e, |s| s.apply(c)),
    },
    Spec {
        name: "psetex",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| SetEx::parse(a, true).map_or_else(|e| e, |s| s.apply(c)),
    },
    Spec {
        name: "getdel",
        arity: 2,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| run::<GetDel>(c, a),
    },
    Spec {
        name: "getex",
        arity: -2,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| run::<GetEx>(c, a),
    },
    Spec {
        name: "getset",
        arity: 3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<GetSet>(c, a),
    },
    Spec {
        name: "mget",
        arity: -2,
        flags: 0,
        keys: (1, -1, 1),
        run: |c, a| run::<MGet>(c, a),
    },
    Spec {
        name: "mset",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, -1, 2),
        run: |c, a| MSet::parse(a, false).map_or_else(|e| e, |s| s.apply(c)),
    },
    Spec {
        name: "msetnx",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, -1, 2),
        run: |c, a| MSet::parse(a, true).map_or_else(|e| e, |s| s.apply(c)),
    },
    Spec {
        name: "getrange",
        arity: 4,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<GetRange>(c, a),
    },
    // GETRANGE's name before Redis 2.4, still in the command table.
    Spec {
        name: "substr",
        arity: 4,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<GetRange>(c, a),
    },
    // Bitmaps (see `bits`).
    Spec {
        name: "setbit",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<SetBit>(c, a),
    },
    Spec {
        name: "getbit",
        arity: 3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<GetBit>(c, a),
    },
    Spec {
        name: "bitcount",
        arity: -2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<BitCount>(c, a),
    },
    Spec {
        name: "bitpos",
        arity: -3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<BitPos>(c, a),
    },
    Spec {
        name: "bitop",
        arity: -4,
        flags: WRITE | DENYOOM,
        keys: (2, -1, 1),
        run: |c, a| run::<BitOp>(c, a),
    },
    Spec {
        name: "setrange",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<SetRange>(c, a),
    },
    Spec {
        name: "append",
        arity: 3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<Append>(c, a),
    },
    Spec {
        name: "strlen",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<StrLen>(c, a),
    },
    Spec {
        name: "incrbyfloat",
        arity: 3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<IncrByFloat>(c, a),
    },
];
