use super::read_hash;
use crate::store::cmd::random_count::{pick, RandomArgs};
use crate::store::cmd::{Command, Ctx};
use crate::store::reply::Reply;

/// `HRANDFIELD key [count [WITHVALUES]]`: random fields (see
/// `random_count` for what is random and what is Redis's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HRandField(pub RandomArgs);

impl<'a> Command<'a> for HRandField {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        RandomArgs::parse(args, b"WITHVALUES").map(HRandField)
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let a = self.0;
        let h = match read_hash(ctx.ks, &a.key, ctx.now) {
            Err(e) => return e,
            Ok(None) if a.count.is_some() => return Reply::Array(Vec::new()),
            Ok(None) => return Reply::Nil,
            Ok(Some(h)) => h,
        };
        let rng = &mut ctx.server.rng;
        let Some(count) = a.count else {
            let i = rng.up_to(h.len().saturating_sub(1) as u64) as usize;
            return h
                .get_index(i)
                .map_or(Reply::Nil, |(f, _)| Reply::bulk(f.clone()));
        };
        let picks = match pick(count, h.len(), rng) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let mut out = Vec::with_capacity(picks.len() * (1 + usize::from(a.with)));
        for (f, v) in picks.into_iter().filter_map(|i| h.get_index(i)) {
            out.push(Reply::bulk(f.clone()));
            if a.with {
                out.push(Reply::bulk(v.clone()));
            }
        }
        Reply::Array(out)
    }
}
