use super::{write_zset, LexBound, LexRange, RangeKind, ZRange};
use crate::store::cmd::list::clamp_range;
use crate::store::cmd::{arg, not_an_integer, Command, Ctx};
use crate::store::config::notify;
use crate::store::int::parse_i64;
use crate::store::reply::Reply;
use crate::store::types::zset::ScoreRange;

/// `ZREM key member [member …]`: how many members were removed; a set
/// left empty is deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZRem {
    pub key: Vec<u8>,
    pub members: Vec<Vec<u8>>,
}

impl<'a> Command<'a> for ZRem {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(ZRem {
            key: arg(args, 1),
            members: args.iter().skip(2).cloned().collect(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let removed = match write_zset(ks, &self.key, now) {
            Err(e) => return e,
            Ok(None) => return Reply::Integer(0),
            Ok(Some(z)) => self
                .members
                .iter()
                .filter(|m| z.remove(m).is_some())
                .count(),
        };
        if removed > 0 {
            ks.notify(notify::ZSET, "zrem", &self.key);
        }
        ks.delete_if_empty(&self.key, now);
        Reply::Integer(removed as i64)
    }
}

/// `ZREMRANGEBYSCORE key min max`: removes the members whose score is in
/// the range (same syntax as ZRANGEBYSCORE: `(` for exclusive, `-inf`,
/// `+inf`). The range is parsed before the key is looked at.
#[derive(Clone, Debug, PartialEq)]
pub struct ZRemRangeByScore {
    pub key: Vec<u8>,
    pub range: ScoreRange,
}

impl<'a> Command<'a> for ZRemRangeByScore {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let range = ScoreRange::parse(&arg(args, 2), &arg(args, 3))
            .ok_or_else(|| Reply::error("ERR min or max is not a float"))?;
        Ok(ZRemRangeByScore {
            key: arg(args, 1),
            range,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let z = match write_zset(ks, &self.key, now) {
            Err(e) => return e,
            Ok(None) => return Reply::Integer(0),
            Ok(Some(z)) => z,
        };
        let doomed: Vec<Vec<u8>> = z.in_range(&self.range).map(|(m, _)| m.to_vec()).collect();
        for m in &doomed {
            z.remove(m);
        }
        if !doomed.is_empty() {
            ks.notify(notify::ZSET, "zremrangebyscore", &self.key);
        }
        ks.delete_if_empty(&self.key, now);
        Reply::Integer(doomed.len() as i64)
    }
}

/// `ZREMRANGEBYRANK key start stop`: removes the members at those
/// positions (inclusive, negative from the end, clamped as in ZRANGE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZRemRangeByRank {
    pub key: Vec<u8>,
    pub start: i64,
    pub stop: i64,
}

impl<'a> Command<'a> for ZRemRangeByRank {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(ZRemRangeByRank {
            key: arg(args, 1),
            start: parse_i64(&arg(args, 2)).ok_or_else(not_an_integer)?,
            stop: parse_i64(&arg(args, 3)).ok_or_else(not_an_integer)?,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let z = match write_zset(ks, &self.key, now) {
            Err(e) => return e,
            Ok(None) => return Reply::Integer(0),
            Ok(Some(z)) => z,
        };
        let Some((start, end)) = clamp_range(self.start, self.stop, z.len()) else {
            return Reply::Integer(0);
        };
        let doomed: Vec<Vec<u8>> = z
            .iter()
            .skip(start)
            .take(end - start + 1)
            .map(|(m, _)| m.to_vec())
            .collect();
        for m in &doomed {
            z.remove(m);
        }
        if !doomed.is_empty() {
            ks.notify(notify::ZSET, "zremrangebyrank", &self.key);
        }
        ks.delete_if_empty(&self.key, now);
        Reply::Integer(doomed.len() as i64)
    }
}

/// `ZREMRANGEBYLEX key min max`: removes the members ZRANGEBYLEX would
/// list (meant for equal scores; on a small set with mixed scores Redis's
/// walk, which ZRANGE's `pick` follows, decides). The range is parsed first.
#[derive(Clone, Debug, PartialEq)]
pub struct ZRemRangeByLex {
    pub range: ZRange,
}

impl<'a> Command<'a> for ZRemRangeByLex {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let bad = || Reply::error("ERR min or max not valid string range item");
        Ok(ZRemRangeByLex {
            range: ZRange {
                key: arg(args, 1),
                kind: RangeKind::Lex(LexRange {
                    min: LexBound::parse(&arg(args, 2)).ok_or_else(bad)?,
                    max: LexBound::parse(&arg(args, 3)).ok_or_else(bad)?,
                }),
                rev: false,
                offset: 0,
                limit: -1,
                withscores: false,
            },
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let z = match write_zset(ks, &self.range.key, now) {
            Err(e) => return e,
            Ok(None) => return Reply::Integer(0),
            Ok(Some(z)) => z,
        };
        let doomed: Vec<Vec<u8>> = self
            .range
            .pick(z)
            .into_iter()
            .map(|(m, _)| m.to_vec())
            .collect();
        for m in &doomed {
            z.remove(m);
        }
        if !doomed.is_empty() {
            ks.notify(notify::ZSET, "zremrangebylex", &self.range.key);
        }
        ks.delete_if_empty(&self.range.key, now);
        Reply::Integer(doomed.len() as i64)
    }
}
