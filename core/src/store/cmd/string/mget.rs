use crate::store::cmd::{Command, Ctx};
use crate::store::reply::Reply;

/// `MGET key [key …]`: one reply per key; absent keys *and keys of another
/// type* give `(nil)` (MGET never answers WRONGTYPE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MGet {
    pub keys: Vec<Vec<u8>>,
}

impl<'a> Command<'a> for MGet {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(MGet {
            keys: args.iter().skip(1).cloned().collect(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let replies = self
            .keys
            .iter()
            .map(|k| match ctx.ks.lookup_read(k, now) {
                Some(e) => e.value.as_str().map_or(Reply::Nil, Reply::bulk),
                None => Reply::Nil,
            })
            .collect();
        Reply::Array(replies)
    }
}
