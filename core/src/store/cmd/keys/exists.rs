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
