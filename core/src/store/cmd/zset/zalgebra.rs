//! ZUNION, ZINTER, ZDIFF and their STORE forms, as Redis 7.0's
//! `zunionInterDiffGenericCommand` runs them: the leaderboard merges
//! (weekly boards summed into a monthly one, the best score of several).
//!
//! Inputs may be sorted sets or plain sets (whose members score 1). Redis's
//! order of work shows in the answers and is kept: numkeys first, then each
//! key looked up for reading in turn (a hit or a miss; another type is
//! WRONGTYPE at once), then the options. Union and intersection walk the
//! inputs smallest first (a stable sort, as glibc's qsort is), so a SUM adds
//! in Redis's order, which a float can tell apart; `inf + -inf` counts as 0.
//! A stored result is a listpack when it fits one, and replaces any key and
//! its TTL; an empty one deletes the destination.

use crate::store::config::notify;
use std::collections::HashMap;

use crate::store::cmd::{arg, not_an_integer, syntax_error, wrong_type, Ctx};
use crate::store::int::parse_i64;
use crate::store::keyspace::Keyspace;
use crate::store::reply::Reply;
use crate::store::types::zset::{format_score, parse_score, ZSet};
use crate::store::value::Value;
use crate::time::Millis;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZOp {
    Union,
    Inter,
    Diff,
    /// ZINTERCARD: the intersection's size, up to LIMIT.
    InterCard,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

/// One call, before its keys are read.
#[derive(Clone, Debug, PartialEq)]
pub struct ZAlgebra {
    op: ZOp,
    /// The STORE forms' destination.
    destination: Option<Vec<u8>>,
    /// The command's name as Redis's error text spells it.
    name: &'static str,
    args: Vec<Vec<u8>>,
}

impl ZAlgebra {
    pub fn new(args: &[Vec<u8>], op: ZOp, store: bool, name: &'static str) -> Self {
        ZAlgebra {
            op,
            destination: store.then(|| arg(args, 1)),
            name,
            args: args.to_vec(),
        }
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let at = if self.destination.is_some() { 2 } else { 1 };
        let Some(n) = parse_i64(&arg(&self.args, at)) else {
            return not_an_integer();
        };
        if n < 1 {
            return Reply::error(format!(
                "ERR at least 1 input key is needed for '{}' command",
                self.name
            ));
        }
        let rest = self.args.len().saturating_sub(at + 1);
        let Some(n) = usize::try_from(n).ok().filter(|&n| n <= rest) else {
            return syntax_error();
        };
        let keys = self.args.get(at + 1..at + 1 + n).unwrap_or_default();
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let inputs = match read_inputs(ks, keys, now) {
            Ok(i) => i,
            Err(e) => return e,
        };
        let options = match Options::parse(
            self.args.get(at + 1 + n..).unwrap_or_default(),
            n,
            self.op,
            self.destination.is_some(),
        ) {
            Ok(o) => o,
            Err(e) => return e,
        };
        let mut sources: Vec<Source> = inputs
            .into_iter()
            .zip(options.weights)
            .map(|(members, weight)| Source::new(members, weight, self.op != ZOp::Union))
            .collect();
        let result = match self.op {
            ZOp::Union => {
                crate::sort::sort_by_u64_key(&mut sources, |s| s.members.len() as u64);
                union(&sources, options.aggregate)
            }
            ZOp::Inter => {
                crate::sort::sort_by_u64_key(&mut sources, |s| s.members.len() as u64);
                inter(&sources, options.aggregate)
            }
            ZOp::InterCard => {
                crate::sort::sort_by_u64_key(&mut sources, |s| s.members.len() as u64);
                let all = inter(&sources, options.aggregate).len() as u64;
                let n = match options.limit {
                    0 => all,
                    limit => all.min(limit),
                };
                return Reply::Integer(n as i64);
            }
            ZOp::Diff => diff(&sources),
        };
        let mut z = ZSet::new();
        for (member, score) in result {
            z.insert(member, score);
        }
        match self.destination {
            Some(dest) if z.is_empty() => {
                if ks.delete_as_is(&dest, now) {
                    ks.notify(notify::GENERIC, "del", &dest);
                }
                Reply::Integer(0)
            }
            Some(dest) => {
                let n = z.len();
                // setKey: a write lookup (expiring the old key if due),
                // then the new value, without a TTL.
                ks.lookup_write(&dest, now);
                ks.set(&dest, Value::ZSet(z), false, now);
                let event = match self.op {
                    ZOp::Inter => "zinterstore",
                    ZOp::Diff => "zdiffstore",
                    _ => "zunionstore",
                };
                ks.notify(notify::ZSET, event, &dest);
                Reply::Integer(n as i64)
            }
            None => {
                let mut out = Vec::with_capacity(z.len() * 2);
                for (m, s) in z.iter() {
                    out.push(Reply::bulk(m));
                    if options.with_scores {
                        out.push(Reply::bulk(format_score(s)));
                    }
                }
                Reply::Array(out)
            }
        }
    }
}

/// An input's members with their scores, in its own order (a set's score
/// is 1); an absent key is empty.
type Members = Vec<(Vec<u8>, f64)>;

struct Source {
    members: Members,
    /// The same scores by member, for the lookups of ZINTER and ZDIFF
    /// (empty for ZUNION, which looks nothing up).
    scores: HashMap<Vec<u8>, f64>,
    weight: f64,
}

impl Source {
    fn new(members: Members, weight: f64, looked_up: bool) -> Self {
        let scores = if looked_up {
            members.iter().cloned().collect()
        } else {
            HashMap::new()
        };
        Source {
            members,
            scores,
            weight,
        }
    }

    fn score_of(&self, member: &[u8]) -> Option<f64> {
        self.scores.get(member).copied()
    }
}

fn read_inputs(ks: &mut Keyspace, keys: &[Vec<u8>], now: Millis) -> Result<Vec<Members>, Reply> {
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        let members = match ks.lookup_read(key, now).map(|e| &e.value) {
            None => Vec::new(),
            Some(Value::ZSet(z)) => z.iter().map(|(m, s)| (m.to_vec(), s)).collect(),
            Some(Value::Set(s)) => s.iter().map(|m| (m.to_vec(), 1.0)).collect(),
            Some(_) => return Err(wrong_type()),
        };
        out.push(members);
    }
    Ok(out)
}

struct Options {
    weights: Vec<f64>,
    aggregate: Aggregate,
    with_scores: bool,
    /// ZINTERCARD's LIMIT; 0 is none.
    limit: u64,
}

impl Options {
    /// WEIGHTS (one per key) and AGGREGATE for union and intersection,
    /// WITHSCORES for the forms that answer members; anything else, or an
    /// option the command does not take, is a syntax error.
    fn parse(mut rest: &[Vec<u8>], n: usize, op: ZOp, store: bool) -> Result<Options, Reply> {
        let mut o = Options {
            weights: vec![1.0; n],
            aggregate: Aggregate::Sum,
            with_scores: false,
            limit: 0,
        };
        let card = op == ZOp::InterCard;
        while let Some(word) = rest.first() {
            let word = word.to_ascii_lowercase();
            if op != ZOp::Diff && !card && rest.len() > n && word == b"weights" {
                for (w, text) in o
                    .weights
                    .iter_mut()
                    .zip(rest.get(1..=n).unwrap_or_default())
                {
                    *w = parse_score(text)
                        .ok_or_else(|| Reply::error("ERR weight value is not a float"))?;
                }
                rest = rest.get(n + 1..).unwrap_or_default();
            } else if op != ZOp::Diff && !card && rest.len() >= 2 && word == b"aggregate" {
                o.aggregate = match arg(rest, 1).to_ascii_lowercase().as_slice() {
                    b"sum" => Aggregate::Sum,
                    b"min" => Aggregate::Min,
                    b"max" => Aggregate::Max,
                    _ => return Err(syntax_error()),
                };
                rest = rest.get(2..).unwrap_or_default();
            } else if !store && !card && word == b"withscores" {
                o.with_scores = true;
                rest = rest.get(1..).unwrap_or_default();
            } else if card && rest.len() >= 2 && word == b"limit" {
                // getPositiveLongFromObjectOrReply with its message: the
                // same text for a word as for a negative number.
                o.limit = parse_i64(&arg(rest, 1))
                    .and_then(|l| u64::try_from(l).ok())
                    .ok_or_else(|| Reply::error("ERR LIMIT can't be negative"))?;
                rest = rest.get(2..).unwrap_or_default();
            } else {
                return Err(syntax_error());
            }
        }
        Ok(o)
    }
}

/// `zunionInterAggregate`.
fn aggregate(target: f64, value: f64, how: Aggregate) -> f64 {
    match how {
        Aggregate::Sum => {
            let sum = target + value;
            if sum.is_nan() {
                0.0
            } else {
                sum
            }
        }
        Aggregate::Min => {
            if value < target {
                value
            } else {
                target
            }
        }
        Aggregate::Max => {
            if value > target {
                value
            } else {
                target
            }
        }
    }
}

/// A weighted score; NaN (`inf * 0`) counts as 0.
fn weighted(score: f64, weight: f64) -> f64 {
    let s = score * weight;
    if s.is_nan() {
        0.0
    } else {
        s
    }
}

fn union(sources: &[Source], how: Aggregate) -> Vec<(Vec<u8>, f64)> {
    let mut acc: indexmap::IndexMap<Vec<u8>, f64> = indexmap::IndexMap::new();
    for s in sources {
        for (m, score) in &s.members {
            let score = weighted(*score, s.weight);
            match acc.get_mut(m) {
                Some(t) => *t = aggregate(*t, score, how),
                None => {
                    acc.insert(m.clone(), score);
                }
            }
        }
    }
    acc.into_iter().collect()
}

fn inter(sources: &[Source], how: Aggregate) -> Vec<(Vec<u8>, f64)> {
    let Some((first, others)) = sources.split_first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    'members: for (m, score) in &first.members {
        let mut total = weighted(*score, first.weight);
        for s in others {
            // Not zeroed when NaN here, as in Redis: only the running
            // total is.
            let Some(v) = s.score_of(m) else {
                continue 'members;
            };
            total = aggregate(total, v * s.weight, how);
        }
        out.push((m.clone(), total));
    }
    out
}

/// The first input's members (with its scores) that no other input has.
fn diff(sources: &[Source]) -> Vec<(Vec<u8>, f64)> {
    let Some((first, others)) = sources.split_first() else {
        return Vec::new();
    };
    first
        .members
        .iter()
        .filter(|(m, _)| others.iter().all(|s| s.score_of(m).is_none()))
        .cloned()
        .collect()
}
