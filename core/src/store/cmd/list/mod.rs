//! List commands. A list is a deque: pushes and pops at both ends are O(1).

mod blocking;
mod lindex;
mod lmove;
mod lpop;
mod lpos;
mod lpush;
mod lrange;
mod lrem;
mod lset;

pub use blocking::{
    deadline, keys_then_timeout, parse_timeout, BlockRequest, BlockingMove, BlockingPop, Wait,
};
pub use lindex::{LIndex, LLen};
pub use lmove::LMove;
pub use lpop::Pop;
pub use lpos::LPos;
pub use lpush::Push;
pub use lrange::{LRange, LTrim};
pub use lrem::LRem;
pub use lset::{LInsert, LSet};

use std::collections::VecDeque;

use super::flags::{DENYOOM, WRITE};
use super::{run, wrong_type, Spec};
use crate::store::keyspace::Keyspace;
use crate::store::reply::Reply;
use crate::store::value::Value;
use crate::time::Millis;

/// Which end of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Left,
    Right,
}

impl End {
    /// The keyspace notification of a push at this end.
    pub(crate) fn push_event(self) -> &'static str {
        match self {
            End::Left => "lpush",
            End::Right => "rpush",
        }
    }

    /// The keyspace notification of a pop from this end.
    pub(crate) fn pop_event(self) -> &'static str {
        match self {
            End::Left => "lpop",
            End::Right => "rpop",
        }
    }
}

pub(crate) type List = VecDeque<Vec<u8>>;

pub(crate) fn read_list<'a>(
    ks: &'a mut Keyspace,
    key: &[u8],
    now: Millis,
) -> Result<Option<&'a List>, Reply> {
    match ks.lookup_read(key, now) {
        None => Ok(None),
        Some(e) => match &e.value {
            Value::List(l) => Ok(Some(l)),
            _ => Err(wrong_type()),
        },
    }
}

pub(crate) fn write_list<'a>(
    ks: &'a mut Keyspace,
    key: &[u8],
    now: Millis,
) -> Result<Option<&'a mut List>, Reply> {
    match ks.lookup_write(key, now) {
        None => Ok(None),
        Some(e) => match &mut e.value {
            Value::List(l) => Ok(Some(l)),
            _ => Err(wrong_type()),
        },
    }
}

/// Redis's index normalisation for LRANGE/LTRIM-style ranges over `len`
/// elements: negative counts from the end, start clamps to 0, end to the
/// last element. `None` when the range is empty.
pub(crate) fn clamp_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let start = if start < 0 {
        start.saturating_add(len)
    } else {
        start
    };
    let end = if end < 0 {
        end.saturating_add(len)
    } else {
        end
    };
    let start = start.max(0);
    if start > end || start >= len {
        return None;
    }
    let end = end.min(len - 1);
    Some((start as usize, end as usize))
}

pub const SPECS: &[Spec] = &[
    Spec {
        name: "lpush",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| Push::parse_as(a, End::Left, false).apply(c),
    },
    Spec {
        name: "rpush",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| Push::parse_as(a, End::Right, false).apply(c),
    },
    Spec {
        name: "lpushx",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| Push::parse_as(a, End::Left, true).apply(c),
    },
    Spec {
        name: "rpushx",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| Push::parse_as(a, End::Right, true).apply(c),
    },
    Spec {
        name: "lmove",
        arity: 5,
        flags: WRITE | DENYOOM,
        keys: (1, 2, 1),
        run: |c, a| LMove::parse_lmove(a).map_or_else(|e| e, |m| m.apply(c)),
    },
    Spec {
        name: "rpoplpush",
        arity: 3,
        flags: WRITE | DENYOOM,
        keys: (1, 2, 1),
        run: |c, a| LMove::parse_rpoplpush(a).apply(c),
    },
    // Blocking forms: answer at once when an element is there; otherwise
    // the console waits (see `blocking`), any other client gets nil.
    // Redis 7.0's LMPOP/BLMPOP: their keys follow numkeys, so the spec
    // names none (the command refreshes what it popped; see `mpop`).
    Spec {
        name: "lmpop",
        arity: -4,
        flags: WRITE,
        keys: (0, 0, 0),
        run: |c, a| super::mpop::MPop::parse(a, false, false).map_or_else(|e| e, |p| p.apply(c)),
    },
    Spec {
        name: "blmpop",
        arity: -5,
        flags: WRITE,
        keys: (0, 0, 0),
        run: |c, a| super::mpop::MPop::parse(a, false, true).map_or_else(|e| e, |p| p.apply(c)),
    },
    Spec {
        name: "blpop",
        arity: -3,
        flags: WRITE,
        keys: (1, -2, 1),
        run: |c, a| BlockingPop::parse_as(a, End::Left).map_or_else(|e| e, |p| p.apply(c)),
    },
    Spec {
        name: "brpop",
        arity: -3,
        flags: WRITE,
        keys: (1, -2, 1),
        run: |c, a| BlockingPop::parse_as(a, End::Right).map_or_else(|e| e, |p| p.apply(c)),
    },
    Spec {
        name: "blmove",
        arity: 6,
        flags: WRITE | DENYOOM,
        keys: (1, 2, 1),
        run: |c, a| BlockingMove::parse_blmove(a).map_or_else(|e| e, |m| m.apply(c)),
    },
    Spec {
        name: "brpoplpush",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 2, 1),
        run: |c, a| BlockingMove::parse_brpoplpush(a).map_or_else(|e| e, |m| m.apply(c)),
    },
    Spec {
        name: "lpop",
        arity: -2,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| Pop::parse_as(a, End::Left).map_or_else(|e| e, |p| p.apply(c)),
    },
    Spec {
        name: "rpop",
        arity: -2,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| Pop::parse_as(a, End::Right).map_or_else(|e| e, |p| p.apply(c)),
    },
    Spec {
        name: "lpos",
        arity: -3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<LPos>(c, a),
    },
    Spec {
        name: "llen",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<LLen>(c, a),
    },
    Spec {
        name: "lrange",
        arity: 4,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<LRange>(c, a),
    },
    Spec {
        name: "lindex",
        arity: 3,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<LIndex>(c, a),
    },
    Spec {
        name: "ltrim",
        arity: 4,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| run::<LTrim>(c, a),
    },
    Spec {
        name: "lrem",
        arity: 4,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| run::<LRem>(c, a),
    },
    Spec {
        name: "lset",
        arity: 4,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<LSet>(c, a),
    },
    Spec {
        name: "linsert",
        arity: 5,
        flags: WRITE | DENYOOM,
        keys: (1, 1, 1),
        run: |c, a| run::<LInsert>(c, a),
    },
];
