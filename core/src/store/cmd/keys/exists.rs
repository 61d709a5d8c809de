use crate::store::cmd::{Command, Ctx};
use crate::store::reply::Reply;

/// `EXISTS key [key …]`: counts live keys; a key named twice counts twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exists {
    pub keys: Vec<Vec<u8>>,
}

impl Command for Exists {
    fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(Exists {
            keys: args.iter().skip(1).cloned().collect(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let ks = &mut *ctx.ks;
        let found = self
            .keys
            .iter()
            .filter(|k| super::lookup_notouch(ks, k, now).is_some())
            .count();
        Reply::Integer(found as i64)
    }
}

/// `TOUCH key [key …]`: counts live keys like EXISTS, but as a read that
/// refreshes each key's access time (LRU clock, LFU counter), which is the
/// point: EXISTS leaves them as they were.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Touch {
    pub keys: Vec<Vec<u8>>,
}

impl Command for Touch {
    fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(Touch {
            keys: args.iter().skip(1).cloned().collect(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let ks = &mut *ctx.ks;
        let found = self
            .keys
            .iter()
            .filter(|k| ks.lookup_read(k, now).is_some())
            .count();
        Reply::Integer(found as i64)
    }
}
