//! SINTER, SUNION, SDIFF, their STORE forms, SMEMBERS (SINTER of one key)
//! and SINTERCARD, following Redis 7.0's `sinterGenericCommand` and
//! `sunionDiffGenericCommand` step by step: which keys are looked up how,
//! when WRONGTYPE wins over an empty answer, which set is walked, and which
//! of SDIFF's two algorithms runs, because that decides the result's
//! encoding (an intset that saw a word stays a hashtable).

use crate::store::cmd::{arg, syntax_error, Command, Ctx};
use crate::store::config::notify;
use crate::store::int::parse_i64;
use crate::store::keyspace::Keyspace;
use crate::store::reply::Reply;
use crate::store::value::{Set, Value};
use crate::time::Millis;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Inter,
    Union,
    Diff,
}

/// `SINTER|SUNION|SDIFF key [key …]` and `…STORE destination key [key …]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Algebra {
    pub op: Op,
    pub destination: Option<Vec<u8>>,
    pub keys: Vec<Vec<u8>>,
}

impl Algebra {
    pub fn parse_as(args: &[Vec<u8>], op: Op, store: bool) -> Self {
        let rest = args.get(1..).unwrap_or_default();
        let (destination, keys) = match (store, rest.split_first()) {
            (true, Some((d, keys))) => (Some(d.clone()), keys.to_vec()),
            _ => (None, rest.to_vec()),
        };
        Algebra {
            op,
            destination,
            keys,
        }
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        // Sources are read lookups in the STORE forms too (Redis 7.0
        // counts their hits and misses).
        let found = match look_up(ks, &self.keys, now) {
            Ok(f) => f,
            Err(e) => return e,
        };
        let sets = peek_sets(ks, &self.keys, &found);
        let result = match self.op {
            Op::Inter => match inter(&sets, &self.keys, None) {
                Inter::Empty => None,
                Inter::Members(m) => Some(m),
            },
            Op::Union => Some(union(&sets)),
            Op::Diff => Some(diff(&sets, &self.keys)),
        };
        let Some(dest) = self.destination else {
            return Reply::Array(result.map(|r| r.into_reply()).unwrap_or_default());
        };
        let result = result.map(Outcome::into_set).filter(|s| !s.is_empty());
        match result {
            // setKey: a write lookup (expiring the old key if due), then
            // the new set, without a TTL.
            Some(set) => {
                let n = set.len();
                ks.lookup_write(&dest, now);
                ks.set(&dest, Value::Set(set), false, now);
                let event = match self.op {
                    Op::Inter => "sinterstore",
                    Op::Union => "sunionstore",
                    Op::Diff => "sdiffstore",
                };
                ks.notify(notify::SET, event, &dest);
                Reply::Integer(n as i64)
            }
            None => {
                if ks.delete_as_is(&dest, now) {
                    ks.notify(notify::GENERIC, "del", &dest);
                }
                Reply::Integer(0)
            }
        }
    }
}

/// `SINTERCARD numkeys key [key …] [LIMIT limit]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SInterCard {
    pub keys: Vec<Vec<u8>>,
    /// 0: no limit.
    pub limit: u64,
}

impl<'a> Command<'a> for SInterCard {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let numkeys = parse_i64(&arg(args, 1))
            .filter(|&n| n >= 1)
            .ok_or_else(|| Reply::error("ERR numkeys should be greater than 0"))?;
        let rest = args.get(2..).unwrap_or_default();
        if numkeys as u64 > rest.len() as u64 {
            return Err(Reply::error(
                "ERR Number of keys can't be greater than number of args",
            ));
        }
        let (keys, options) = rest.split_at(numkeys as usize);
        let mut limit = 0;
        let mut i = 0;
        while i < options.len() {
            let more = options.len() - 1 - i;
            match options.get(i) {
                Some(o) if o.eq_ignore_ascii_case(b"limit") && more > 0 => {
                    limit = parse_i64(&arg(options, i + 1))
                        .filter(|&l| l >= 0)
                        .ok_or_else(|| Reply::error("ERR LIMIT can't be negative"))?
                        as u64;
                    i += 2;
                }
                _ => return Err(syntax_error()),
            }
        }
        Ok(SInterCard {
            keys: keys.to_vec(),
            limit,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let found = match look_up(ks, &self.keys, now) {
            Ok(f) => f,
            Err(e) => return e,
        };
        let sets = peek_sets(ks, &self.keys, &found);
        match inter(&sets, &self.keys, Some(self.limit)) {
            Inter::Empty => Reply::Integer(0),
            Inter::Members(m) => Reply::Integer(m.members.len() as i64),
        }
    }
}

/// Looks every key up in order, as Redis's loop does: a missing key is an
/// empty set and the loop goes on, the first key of another type answers
/// WRONGTYPE. `true` for each key that holds a set.
fn look_up(ks: &mut Keyspace, keys: &[Vec<u8>], now: Millis) -> Result<Vec<bool>, Reply> {
    let mut found = Vec::with_capacity(keys.len());
    for key in keys {
        match ks
            .lookup_read(key, now)
            .map(|e| matches!(e.value, Value::Set(_)))
        {
            None => found.push(false),
            Some(true) => found.push(true),
            Some(false) => return Err(crate::store::cmd::wrong_type()),
        }
    }
    Ok(found)
}

/// The sets the lookups found, read without touching the keyspace again.
fn peek_sets<'a>(ks: &'a Keyspace, keys: &[Vec<u8>], found: &[bool]) -> Vec<Option<&'a Set>> {
    keys.iter()
        .zip(found)
        .map(|(k, &f)| match (f, ks.peek(k).map(|e| &e.value)) {
            (true, Some(Value::Set(s))) => Some(s),
            _ => None,
        })
        .collect()
}

/// A result as Redis builds it: members in reply order, and (for the
/// STORE forms and SUNION/SDIFF) the set that held them.
struct Outcome {
    members: Vec<Vec<u8>>,
    set: Option<Set>,
}

impl Outcome {
    fn into_reply(self) -> Vec<Reply> {
        self.members.into_iter().map(Reply::Bulk).collect()
    }

    fn into_set(self) -> Set {
        match self.set {
            Some(s) => s,
            None => {
                let mut s = Set::new_intset();
                for m in &self.members {
                    s.insert(m);
                }
                s
            }
        }
    }
}

enum Inter {
    /// A key was missing: the intersection is empty before any walk.
    Empty,
    Members(Outcome),
}

/// SINTER: walks the smallest set (the first of equal sizes) and keeps the
/// members every other set has; with a `limit` (SINTERCARD), stops there.
fn inter(sets: &[Option<&Set>], keys: &[Vec<u8>], limit: Option<u64>) -> Inter {
    let mut present: Vec<(&Set, &[u8])> = Vec::with_capacity(sets.len());
    for (s, k) in sets.iter().zip(keys) {
        match s {
            Some(s) => present.push((s, k)),
            None => return Inter::Empty,
        }
    }
    // A stable sort, like glibc's qsort (a merge sort) keeps equal sizes in
    // argument order.
    crate::sort::sort_by_u64_key(&mut present, |(s, _)| s.len() as u64);
    let Some(&(first, first_key)) = present.first() else {
        return Inter::Empty;
    };
    let mut members = Vec::new();
    for m in first.members() {
        let everywhere = present
            .iter()
            .skip(1)
            .all(|(s, k)| *k == first_key || s.contains(m));
        if everywhere {
            members.push(m.to_vec());
            if limit.is_some_and(|l| l > 0 && members.len() as u64 >= l) {
                break;
            }
        }
    }
    Inter::Members(Outcome { members, set: None })
}

/// SUNION: every member of every set, added in key order to a new intset.
fn union(sets: &[Option<&Set>]) -> Outcome {
    let mut out = Set::new_intset();
    for s in sets.iter().flatten() {
        for m in s.members() {
            out.insert(m);
        }
    }
    outcome(out)
}

/// SDIFF: the first set less the others, by Redis's cheaper algorithm for
/// the sizes at hand. Algorithm 1 walks the first set and keeps what no
/// other set has; algorithm 2 adds the whole first set, then removes every
/// other set's members, so a word it removes has already made the result a
/// hashtable.
fn diff(sets: &[Option<&Set>], keys: &[Vec<u8>]) -> Outcome {
    let mut out = Set::new_intset();
    let (Some(Some(first)), Some(first_key)) = (sets.first(), keys.first()) else {
        return outcome(out);
    };
    let same_set = keys
        .iter()
        .zip(sets)
        .skip(1)
        .any(|(k, s)| s.is_some() && k == first_key);
    if same_set {
        return outcome(out);
    }
    let present = sets.iter().flatten().count() as u64;
    let one = present * first.len() as u64 / 2;
    let two: u64 = sets.iter().flatten().map(|s| s.len() as u64).sum();
    if one <= two {
        for m in first.members() {
            if !sets.iter().skip(1).flatten().any(|s| s.contains(m)) {
                out.insert(m);
            }
        }
    } else {
        for m in first.members() {
            out.insert(m);
        }
        for s in sets.iter().skip(1).flatten() {
            if out.is_empty() {
                break;
            }
            for m in s.members() {
                out.remove(m);
            }
        }
    }
    outcome(out)
}

fn outcome(set: Set) -> Outcome {
    Outcome {
        members: set.members().into_iter().map(<[u8]>::to_vec).collect(),
        set: Some(set),
    }
}
