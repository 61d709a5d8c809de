use super::glob::string_match;
use crate::store::cmd::{arg, Command, Ctx};
use crate::store::reply::Reply;

/// `KEYS pattern`: every live key matching the glob, in keyspace order.
/// Expired keys are skipped but, as in Redis 7.0 (`keyIsExpired`, not
/// `expireIfNeeded`), not reclaimed: DBSIZE still counts them afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    pub pattern: Vec<u8>,
}

impl<'a> Command<'a> for Keys {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(Keys {
            pattern: arg(args, 1),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let all = self.pattern == b"*";
        let found = ctx
            .ks
            .iter()
            .filter(|(k, e)| (all || string_match(&self.pattern, k)) && !e.is_expired(now))
            .map(|(k, _)| Reply::bulk(k.clone()))
            .collect();
        Reply::Array(found)
    }
}
