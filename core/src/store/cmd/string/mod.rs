//! String commands.

mod get;
mod incr;
mod set;

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
];
