use crate::store::cmd::{Command, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;

/// `DEL key [key …]`: how many live keys were removed. A key that has expired
/// but was still in memory is reclaimed and not counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Del {
    pub keys: Vec<Vec<u8>>,
}

impl<'a> Command<'a> for Del {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(Del {
            keys: args.iter().skip(1).cloned().collect(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let ks = &mut *ctx.ks;
        let mut removed = 0;
        for k in &self.keys {
            if ks.delete(k, now) {
                ks.notify(notify::GENERIC, "del", k);
                removed += 1;
            }
        }
        Reply::Integer(removed as i64)
    }
}
