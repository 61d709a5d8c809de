use super::{read_zset, score_reply};
use crate::store::cmd::{arg, Command, Ctx};
use crate::store::reply::Reply;
use crate::store::types::zset::ScoreRange;

/// `ZSCORE key member`: the score, `(nil)` when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZScore {
    pub key: Vec<u8>,
    pub member: Vec<u8>,
}

impl<'a> Command<'a> for ZScore {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(ZScore {
            key: arg(args, 1),
            member: arg(args, 2),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_zset(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(z) => z
                .and_then(|z| z.score(&self.member))
                .map_or(Reply::Nil, score_reply),
        }
    }
}

/// `ZCARD key`: the number of members, 0 when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZCard {
    pub key: Vec<u8>,
}

impl<'a> Command<'a> for ZCard {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(ZCard { key: arg(args, 1) })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_zset(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(z) => Reply::Integer(z.map_or(0, |z| z.len() as i64)),
        }
    }
}

/// `ZCOUNT key min max`: how many scores are in the range. The range is
/// parsed first, so a bad range beats WRONGTYPE.
#[derive(Clone, Debug, PartialEq)]
pub struct ZCount {
    pub key: Vec<u8>,
    pub range: ScoreRange,
}

impl<'a> Command<'a> for ZCount {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let range = ScoreRange::parse(&arg(args, 2), &arg(args, 3))
            .ok_or_else(|| Reply::error("ERR min or max is not a float"))?;
        Ok(ZCount {
            key: arg(args, 1),
            range,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_zset(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(z) => Reply::Integer(z.map_or(0, |z| z.in_range(&self.range).count() as i64)),
        }
    }
}

/// `ZRANK`/`ZREVRANK key member`: the 0-based position in ascending (or
/// descending) order, `(nil)` when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZRank {
    pub key: Vec<u8>,
    pub member: Vec<u8>,
    pub rev: bool,
}

impl ZRank {
    pub fn parse_as(args: &[Vec<u8>], rev: bool) -> Self {
        ZRank {
            key: arg(args, 1),
            member: arg(args, 2),
            rev,
        }
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let z = match read_zset(ctx.ks, &self.key, ctx.now) {
            Err(e) => return e,
            Ok(None) => return Reply::Nil,
            Ok(Some(z)) => z,
        };
        match z.rank(&self.member) {
            None => Reply::Nil,
            Some(r) if self.rev => Reply::Integer((z.len() - 1 - r) as i64),
            Some(r) => Reply::Integer(r as i64),
        }
    }
}

/// `ZMSCORE key member [member …]`: one score or `(nil)` per member; an
/// absent key answers all nils.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZMScore {
    pub key: Vec<u8>,
    pub members: Vec<Vec<u8>>,
}

impl<'a> Command<'a> for ZMScore {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(ZMScore {
            key: arg(args, 1),
            members: args.iter().skip(2).cloned().collect(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_zset(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(z) => Reply::Array(
                self.members
                    .iter()
                    .map(|m| z.and_then(|z| z.score(m)).map_or(Reply::Nil, score_reply))
                    .collect(),
            ),
        }
    }
}
