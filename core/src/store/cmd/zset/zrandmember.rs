use super::{read_zset, score_reply};
use crate::store::cmd::random_count::{pick, RandomArgs};
use crate::store::cmd::{Command, Ctx};
use crate::store::reply::Reply;

/// `ZRANDMEMBER key [count [WITHSCORES]]`: random members (see
/// `random_count` for what is random and what is Redis's); a count that
/// covers the set answers it highest score first, as Redis walks it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZRandMember(pub RandomArgs);

impl<'a> Command<'a> for ZRandMember {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        RandomArgs::parse(args, b"WITHSCORES").map(ZRandMember)
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let a = self.0;
        let z = match read_zset(ctx.ks, &a.key, ctx.now) {
            Err(e) => return e,
            Ok(None) if a.count.is_some() => return Reply::Array(Vec::new()),
            Ok(None) => return Reply::Nil,
            Ok(Some(z)) => z,
        };
        // Highest score first: Redis walks a sorted set from its tail here
        // (as ZUNIONSTORE's iterator does), which shows when a count covers
        // the whole set.
        let members: Vec<(&[u8], f64)> = z.iter().rev().collect();
        let rng = &mut ctx.server.rng;
        let Some(count) = a.count else {
            let i = rng.up_to(members.len().saturating_sub(1) as u64) as usize;
            return members
                .get(i)
                .map_or(Reply::Nil, |(m, _)| Reply::bulk(m.to_vec()));
        };
        let picks = match pick(count, members.len(), rng) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let mut out = Vec::with_capacity(picks.len() * (1 + usize::from(a.with)));
        for (m, s) in picks.into_iter().filter_map(|i| members.get(i)) {
            out.push(Reply::bulk(m.to_vec()));
            if a.with {
                out.push(score_reply(*s));
            }
        }
        Reply::Array(out)
    }
}
