use super::glob::string_match;
use crate::store::cmd::{arg, Command, Ctx};
use crate::store::reply::Reply;

/// `KEYS pattern`: every live key matching the glob, in keyspace order.
/// Keys found expired on the way are reclaimed, as Redis 7 does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    pub pattern: Vec<u8>,
}

impl Command for Keys {
    fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(Keys {
            pattern: arg(args, 1),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let all = self.pattern == b"*";
        let mut found = Vec::new();
        let mut expired = Vec::new();
        for (k, e) in ctx.ks.iter() {
            if !all && !string_match(&self.pattern, k) {
                continue;
            }
            if e.is_expired(now) {
                expired.push(k.clone());
            } else {
                found.push(Reply::bulk(k.clone()));
            }
        }
        for k in expired {
            ctx.ks.expire_if_due(&k, now);
        }
        Reply::Array(found)
    }
}
