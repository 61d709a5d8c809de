//! `BZPOPMIN` and `BZPOPMAX`: a worker waiting on an empty priority queue
//! (a sorted set scored by priority or by due time). With a member ready
//! they answer at once, as `ZPOPMIN`/`ZPOPMAX` would, with the key first:
//! `[key, member, score]`. With none they wait like BLPOP (see
//! `list::blocking`): the console blocks until another client adds to a
//! key it waits on, or until the timeout; any other client, or inside
//! MULTI, gets `(nil)` at once.
//!
//! In Redis 7.0's order: the timeout is read first, then the keys in
//! argument order; the first holding a sorted set is served, and a key of
//! another type met before it is WRONGTYPE.

use super::{write_zset, ZPop};
use crate::store::cmd::list::{deadline, keys_then_timeout, BlockRequest, Wait};
use crate::store::cmd::Ctx;
use crate::store::reply::Reply;
use crate::time::Millis;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockingZPop {
    pub keys: Vec<Vec<u8>>,
    pub max: bool,
    pub timeout: Millis,
}

impl BlockingZPop {
    pub fn parse_as(args: &[Vec<u8>], max: bool) -> Result<Self, Reply> {
        let (keys, timeout) = keys_then_timeout(args)?;
        Ok(BlockingZPop { keys, max, timeout })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        for key in &self.keys {
            match write_zset(ctx.ks, key, ctx.now) {
                Err(e) => return e,
                // An empty sorted set does not exist: nothing to pop here.
                Ok(None) => continue,
                Ok(Some(_)) => {}
            }
            let popped = ZPop {
                key: key.clone(),
                count: 1,
                max: self.max,
            }
            .apply(ctx);
            return with_key(key.clone(), popped);
        }
        if ctx.server.may_block {
            ctx.server.block_request = Some(BlockRequest {
                keys: self.keys,
                wait: Wait::ZPop { max: self.max },
                deadline: deadline(ctx.now, self.timeout),
            });
        }
        Reply::Nil
    }
}

/// ZPOPMIN's `[member, score]` with the key in front, as BZPOPMIN answers.
pub fn with_key(key: Vec<u8>, popped: Reply) -> Reply {
    match popped {
        Reply::Array(mut items) => {
            items.insert(0, Reply::Bulk(key));
            Reply::Array(items)
        }
        other => other,
    }
}
