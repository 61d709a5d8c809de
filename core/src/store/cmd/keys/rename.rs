use crate::store::cmd::{arg, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;

/// `RENAME key newkey` / `RENAMENX key newkey`: moves the value with its TTL,
/// replacing (RENAME) or refusing (RENAMENX, answering 0) an existing
/// `newkey` of any type. A missing source is "ERR no such key", even when
/// both names are the same; renaming a key to itself is a no-op answering
/// OK (RENAMENX: 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename {
    pub from: Vec<u8>,
    pub to: Vec<u8>,
    pub nx: bool,
}

impl Rename {
    pub fn parse(args: &[Vec<u8>], nx: bool) -> Result<Self, Reply> {
        Ok(Rename {
            from: arg(args, 1),
            to: arg(args, 2),
            nx,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let done = |moved: bool| {
            if self.nx {
                Reply::Integer(i64::from(moved))
            } else {
                Reply::ok()
            }
        };
        if ctx.ks.lookup_write(&self.from, now).is_none() {
            return Reply::error("ERR no such key");
        }
        if self.from == self.to {
            return done(false);
        }
        if ctx.ks.lookup_write(&self.to, now).is_some() {
            if self.nx {
                return done(false);
            }
            ctx.ks.delete(&self.to, now);
        }
        // `Keyspace::take` clears the TTL while unlinking the entry, so the
        // expiry time is read first and put back after the move.
        let expire_at = ctx.ks.peek(&self.from).and_then(|e| e.expire_at());
        let Some(entry) = ctx.ks.take(&self.from) else {
            return Reply::error("ERR no such key");
        };
        ctx.ks.put(&self.to, entry, now);
        if expire_at.is_some() {
            ctx.ks.set_expire(&self.to, expire_at);
        }
        ctx.ks.notify(notify::GENERIC, "rename_from", &self.from);
        ctx.ks.notify(notify::GENERIC, "rename_to", &self.to);
        done(true)
    }
}
