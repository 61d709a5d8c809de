use crate::store::cmd::{syntax_error, Command, Ctx};
use crate::store::reply::Reply;

/// `RANDOMKEY`: a random live key, `(nil)` on an empty database. A key drawn
/// that turns out to be expired is reclaimed and another one is drawn, as
/// Redis does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RandomKey;

impl<'a> Command<'a> for RandomKey {
    fn parse(_: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(RandomKey)
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        // Every round either returns or removes a key, so this ends.
        while let Some(i) = ctx.ks.random_slot(&mut ctx.server.rng) {
            let Some((key, entry)) = ctx.ks.slot(i) else {
                break;
            };
            let key = key.to_vec();
            if entry.is_expired(now) {
                ctx.ks.expire_if_due(&key, now);
                continue;
            }
            return Reply::bulk(key);
        }
        Reply::Nil
    }
}

/// `DBSIZE`: keys in memory, including expired ones not yet reclaimed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbSize;

impl<'a> Command<'a> for DbSize {
    fn parse(_: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(DbSize)
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        Reply::Integer(ctx.ks.len() as i64)
    }
}

/// `FLUSHDB [ASYNC|SYNC]` / `FLUSHALL [ASYNC|SYNC]` (one database, so the
/// same thing): everything goes. Any other argument, or more than one, is a
/// syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flush;

impl<'a> Command<'a> for Flush {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        match args {
            [_] => Ok(Flush),
            [_, mode]
                if mode.eq_ignore_ascii_case(b"sync") || mode.eq_ignore_ascii_case(b"async") =>
            {
                Ok(Flush)
            }
            _ => Err(syntax_error()),
        }
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        ctx.ks.clear();
        Reply::ok()
    }
}
