use crate::store::config::notify;
use std::cmp::Ordering;

use super::{read_zset, score_reply};
use crate::store::cmd::list::clamp_range;
use crate::store::cmd::{arg, not_an_integer, syntax_error, Ctx};
use crate::store::int::parse_i64;
use crate::store::reply::Reply;
use crate::store::types::zset::{ScoreRange, ZSet};
use crate::store::value::Value;

/// Which command was typed: they share one implementation, as in Redis
/// (`zrangeGenericCommand`), but each fixes some options in advance, and a
/// fixed option cannot be given again (`ZRANGEBYSCORE … BYSCORE` and
/// `ZREVRANGE … REV` are syntax errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZRangeVariant {
    ZRange,
    ByScore,
    Rev,
    RevByScore,
    ByLex,
    RevByLex,
}

/// One end of a BYLEX range: `-`, `+`, `[value` or `(value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LexBound {
    Min,
    Max,
    Value(Vec<u8>, bool),
}

impl LexBound {
    pub fn parse(b: &[u8]) -> Option<Self> {
        match b.split_first() {
            // Redis checks the byte after `-`/`+` C-style, so a NUL ends it.
            Some((b'-', rest)) if rest.first().is_none_or(|&c| c == 0) => Some(LexBound::Min),
            Some((b'+', rest)) if rest.first().is_none_or(|&c| c == 0) => Some(LexBound::Max),
            Some((b'(', rest)) => Some(LexBound::Value(rest.to_vec(), true)),
            Some((b'[', rest)) => Some(LexBound::Value(rest.to_vec(), false)),
            _ => None,
        }
    }

    fn exclusive(&self) -> bool {
        !matches!(self, LexBound::Value(_, false))
    }

    /// `value` compared with the bound (`-` is below everything, `+` above).
    fn cmp_value(&self, value: &[u8]) -> Ordering {
        match self {
            LexBound::Min => Ordering::Greater,
            LexBound::Max => Ordering::Less,
            LexBound::Value(v, _) => value.cmp(v.as_slice()),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            LexBound::Min => 0,
            LexBound::Value(..) => 1,
            LexBound::Max => 2,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexRange {
    pub min: LexBound,
    pub max: LexBound,
}

impl LexRange {
    fn gte_min(&self, v: &[u8]) -> bool {
        match self.min.cmp_value(v) {
            Ordering::Greater => true,
            Ordering::Equal => !self.min.exclusive(),
            Ordering::Less => false,
        }
    }

    fn lte_max(&self, v: &[u8]) -> bool {
        match self.max.cmp_value(v) {
            Ordering::Less => true,
            Ordering::Equal => !self.max.exclusive(),
            Ordering::Greater => false,
        }
    }

    /// Redis's emptiness test on the bounds alone.
    fn is_empty(&self) -> bool {
        let ord = match (&self.min, &self.max) {
            (LexBound::Value(a, _), LexBound::Value(b, _)) => a.cmp(b),
            (a, b) => a.rank().cmp(&b.rank()),
        };
        ord == Ordering::Greater
            || (ord == Ordering::Equal && (self.min.exclusive() || self.max.exclusive()))
    }
}

/// What is being ranged over.
#[derive(Clone, Debug, PartialEq)]
pub enum RangeKind {
    /// By index (the default): inclusive, negative from the end.
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

/// `ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count]
/// [WITHSCORES]`, and the older `ZRANGEBYSCORE`, `ZREVRANGE`,
/// `ZREVRANGEBYSCORE`.
///
/// Options are read first (LIMIT's numbers parsed on the spot), then the
/// conflicts are checked, then the range: with REV and BYSCORE/BYLEX the
/// range is written max first. `LIMIT` with an index range is an error,
/// except `LIMIT x -1`, which Redis cannot tell from no LIMIT at all.
#[derive(Clone, Debug, PartialEq)]
pub struct ZRange {
    pub key: Vec<u8>,
    pub kind: RangeKind,
    pub rev: bool,
    pub offset: i64,
    pub limit: i64,
    pub withscores: bool,
}

impl ZRange {
    pub fn parse_as(args: &[Vec<u8>], variant: ZRangeVariant) -> Result<Self, Reply> {
        Self::parse_from(args, variant, false)
    }

    /// `args[1]` is the key, `args[2..4]` the range, then the options.
    /// `store`: for ZRANGESTORE (its arguments shifted by one), where
    /// WITHSCORES is not an option and so a syntax error where it stands.
    fn parse_from(args: &[Vec<u8>], variant: ZRangeVariant, store: bool) -> Result<Self, Reply> {
        #[derive(PartialEq)]
        enum By {
            Auto,
            Rank,
            Score,
            Lex,
        }
        let (mut by, mut rev) = match variant {
            ZRangeVariant::ZRange => (By::Auto, None),
            ZRangeVariant::ByScore => (By::Score, Some(false)),
            ZRangeVariant::Rev => (By::Rank, Some(true)),
            ZRangeVariant::RevByScore => (By::Score, Some(true)),
            ZRangeVariant::ByLex => (By::Lex, Some(false)),
            ZRangeVariant::RevByLex => (By::Lex, Some(true)),
        };
        let (mut withscores, mut offset, mut limit) = (false, 0i64, -1i64);
        let mut j = 4;
        while let Some(opt) = args.get(j) {
            let left = args.len() - j - 1;
            match opt.to_ascii_lowercase().as_slice() {
                b"withscores" if !store => withscores = true,
                b"limit" if left >= 2 => {
                    offset = parse_i64(&arg(args, j + 1)).ok_or_else(not_an_integer)?;
                    limit = parse_i64(&arg(args, j + 2)).ok_or_else(not_an_integer)?;
                    j += 2;
                }
                b"rev" if rev.is_none() => rev = Some(true),
                b"bylex" if by == By::Auto => by = By::Lex,
                b"byscore" if by == By::Auto => by = By::Score,
                _ => return Err(syntax_error()),
            }
            j += 1;
        }
        let rev = rev.unwrap_or(false);
        if by == By::Auto {
            by = By::Rank;
        }
        if limit != -1 && by == By::Rank {
            return Err(Reply::error(
                "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
            ));
        }
        if withscores && by == By::Lex {
            return Err(Reply::error(
                "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
            ));
        }
        let (mut lo, mut hi) = (arg(args, 2), arg(args, 3));
        if rev && by != By::Rank {
            std::mem::swap(&mut lo, &mut hi);
        }
        let kind = match by {
            By::Score => RangeKind::Score(
                ScoreRange::parse(&lo, &hi)
                    .ok_or_else(|| Reply::error("ERR min or max is not a float"))?,
            ),
            By::Lex => {
                let bad = || Reply::error("ERR min or max not valid string range item");
                RangeKind::Lex(LexRange {
                    min: LexBound::parse(&lo).ok_or_else(bad)?,
                    max: LexBound::parse(&hi).ok_or_else(bad)?,
                })
            }
            By::Auto | By::Rank => RangeKind::Rank(
                parse_i64(&lo).ok_or_else(not_an_integer)?,
                parse_i64(&hi).ok_or_else(not_an_integer)?,
            ),
        };
        Ok(ZRange {
            key: arg(args, 1),
            kind,
            rev,
            offset,
            limit,
            withscores,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let z = match read_zset(ctx.ks, &self.key, ctx.now) {
            Err(e) => return e,
            Ok(None) => return Reply::Array(Vec::new()),
            Ok(Some(z)) => z,
        };
        let picked = self.pick(z);
        let mut out = Vec::new();
        for (m, s) in picked {
            out.push(Reply::bulk(m.to_vec()));
            if self.withscores {
                out.push(score_reply(s));
            }
        }
        Reply::Array(out)
    }

    pub(crate) fn pick<'a>(&self, z: &'a ZSet) -> Vec<(&'a [u8], f64)> {
        let ordered: Vec<(&[u8], f64)> = if self.rev {
            z.iter().rev().collect()
        } else {
            z.iter().collect()
        };
        let in_range: Vec<(&[u8], f64)> = match &self.kind {
            RangeKind::Rank(start, stop) => {
                return match clamp_range(*start, *stop, ordered.len()) {
                    None => Vec::new(),
                    Some((a, b)) => ordered.get(a..=b).map(<[_]>::to_vec).unwrap_or_default(),
                };
            }
            RangeKind::Score(r) => {
                // Ordered, so the range is a contiguous run.
                ordered
                    .into_iter()
                    .filter(|(_, s)| r.contains(*s))
                    .collect()
            }
            RangeKind::Lex(r) => {
                // As a small set (a listpack) does it: check the ends of
                // the whole set first, then a linear walk from the first
                // member past the start bound while the other bound holds.
                // Meaningful when all scores are equal, and the same as
                // Redis even when they are not.
                let (first, last) = match (z.iter().next(), z.iter().next_back()) {
                    (Some(f), Some(l)) => (f.0, l.0),
                    _ => return Vec::new(),
                };
                if r.is_empty() || !r.gte_min(last) || !r.lte_max(first) {
                    return Vec::new();
                }
                // From the first member past the start bound (it must be
                // inside the other bound too), LIMIT's offset skips members
                // whether in range or not, then members are taken while the
                // end bound holds. With mixed scores this is not "filter
                // then skip", and Redis does it this way.
                let at_start = |m: &[u8]| if self.rev { r.lte_max(m) } else { r.gte_min(m) };
                let before_end = |m: &[u8]| if self.rev { r.gte_min(m) } else { r.lte_max(m) };
                let Some(first) = ordered.iter().position(|(m, _)| at_start(m)) else {
                    return Vec::new();
                };
                if !ordered.get(first).is_some_and(|(m, _)| before_end(m)) || self.offset < 0 {
                    return Vec::new();
                }
                let offset = usize::try_from(self.offset).unwrap_or(usize::MAX);
                let count = usize::try_from(self.limit).unwrap_or(usize::MAX);
                return ordered
                    .into_iter()
                    .skip(first)
                    .skip(offset)
                    .take(count)
                    .take_while(|(m, _)| before_end(m))
                    .collect();
            }
        };
        // LIMIT: a negative offset skips everything, a negative count means
        // no limit.
        if self.offset < 0 {
            return Vec::new();
        }
        let offset = usize::try_from(self.offset).unwrap_or(usize::MAX);
        let count = usize::try_from(self.limit).unwrap_or(usize::MAX);
        in_range.into_iter().skip(offset).take(count).collect()
    }
}

/// `ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]`:
/// what ZRANGE would list, stored (scores kept) in `dst` without a TTL;
/// an empty range deletes `dst`. Answers how many members were stored.
#[derive(Clone, Debug, PartialEq)]
pub struct ZRangeStore {
    pub destination: Vec<u8>,
    pub range: ZRange,
}

impl ZRangeStore {
    pub fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        // The ZRANGE arguments from `src` on: ZRANGE's positions, one later.
        let range = ZRange::parse_from(
            args.get(1..).unwrap_or_default(),
            ZRangeVariant::ZRange,
            true,
        )?;
        Ok(ZRangeStore {
            destination: arg(args, 1),
            range,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let picked = match read_zset(ks, &self.range.key, now) {
            Err(e) => return e,
            Ok(None) => ZSet::new(),
            Ok(Some(z)) => {
                let mut out = ZSet::new();
                for (m, s) in self.range.pick(z) {
                    out.insert(m.to_vec(), s);
                }
                out
            }
        };
        if picked.is_empty() {
            if ks.delete_as_is(&self.destination, now) {
                ks.notify(notify::GENERIC, "del", &self.destination);
            }
            return Reply::Integer(0);
        }
        let n = picked.len();
        // setKey: a write lookup (expiring the old key if due), then the
        // new value, without a TTL.
        ks.lookup_write(&self.destination, now);
        ks.set(&self.destination, Value::ZSet(picked), false, now);
        ks.notify(notify::ZSET, "zrangestore", &self.destination);
        Reply::Integer(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// `ZLEXCOUNT key min max`: how many members BYLEX would return. The range
/// is parsed first.
#[derive(Clone, Debug, PartialEq)]
pub struct ZLexCount {
    pub key: Vec<u8>,
    pub range: LexRange,
}

impl<'a> crate::store::cmd::Command<'a> for ZLexCount {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let bad = || Reply::error("ERR min or max not valid string range item");
        Ok(ZLexCount {
            key: arg(args, 1),
            range: LexRange {
                min: LexBound::parse(&arg(args, 2)).ok_or_else(bad)?,
                max: LexBound::parse(&arg(args, 3)).ok_or_else(bad)?,
            },
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let z = match read_zset(ctx.ks, &self.key, ctx.now) {
            Err(e) => return e,
            Ok(None) => return Reply::Integer(0),
            Ok(Some(z)) => z,
        };
        let all = ZRange {
            key: self.key.clone(),
            kind: RangeKind::Lex(self.range),
            rev: false,
            offset: 0,
            limit: -1,
            withscores: false,
        };
        Reply::Integer(all.pick(z).len() as i64)
    }
}
