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
        run: run::<Get>,
    },
    Spec {
        name: "set",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: run::<Set>,
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
        run: run::<SetNx>,
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
        run: run::<GetDel>,
    },
    Spec {
        name: "getex",
        arity: -2,
        flags: WRITE,
        keys: (1, 1, 1),
        run: run::<GetEx>,
    },
    Spec {
        name: "getset",
        arity: 3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: run::<GetSet>,
    },
    Spec {
        name: "mget",
        arity: -2,
        flags: 0,
        keys: (1, -1, 1),
        run: run::<MGet>,
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
        run: run::<GetRange>,
    },
    // GETRANGE's name before Redis 2.4, still in the command table.
    Spec {
        name: "substr",
        arity: 4,
        flags: 0,
        keys: (1, 1, 1),
        run: run::<GetRange>,
    },
    // Bitmaps (see `bits`).
    Spec {
        name: "setbit",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: run::<SetBit>,
    },
    Spec {
        name: "getbit",
        arity: 3,
        flags: 0,
        keys: (1, 1, 1),
        run: run::<GetBit>,
    },
    Spec {
        name: "bitcount",
        arity: -2,
        flags: 0,
        keys: (1, 1, 1),
        run: run::<BitCount>,
    },
    Spec {
        name: "bitpos",
        arity: -3,
        flags: 0,
        keys: (1, 1, 1),
        run: run::<BitPos>,
    },
    Spec {
        name: "bitop",
        arity: -4,
        flags: WRITE | DENYOOM,
        keys: (2, -1, 1),
        run: run::<BitOp>,
    },
    Spec {
        name: "setrange",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: run::<SetRange>,
    },
    Spec {
        name: "append",
        arity: 3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: run::<Append>,
    },
    Spec {
        name: "strlen",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: run::<StrLen>,
    },
    Spec {
        name: "incrbyfloat",
        arity: 3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: run::<IncrByFloat>,
    },
];
