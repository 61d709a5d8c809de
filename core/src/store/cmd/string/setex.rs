use crate::store::cmd::{arg, not_an_integer, Ctx};
use crate::store::config::notify;
use crate::store::{int::parse_i64, keyspace::Value, reply::Reply};
use crate::time::Millis;

/// `SETEX key seconds value` / `PSETEX key milliseconds value`: SET with a
/// relative expiry. As in Redis's `getExpireMillisecondsOrReply`, a time
/// that is not positive (or seconds that would overflow once multiplied by
/// 1000, or a deadline past `i64::MAX`) is refused with the command's own
/// name in the text; any existing value, of any type, is replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetEx {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    /// Relative time to live, already in milliseconds.
    pub ttl_ms: i64,
    pub name: &'static str,
}

impl SetEx {
    pub fn parse(args: &[Vec<u8>], millis: bool) -> Result<Self, Reply> {
        let name = if millis { "psetex" } else { "setex" };
        let n = parse_i64(&arg(args, 2)).ok_or_else(not_an_integer)?;
        if n <= 0 || (!millis && n > i64::MAX / 1000) {
            return Err(invalid_expire(name));
        }
        Ok(SetEx {
            key: arg(args, 1),
            value: arg(args, 3),
            ttl_ms: if millis { n } else { n * 1000 },
            name,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let Some(at) = (now as i64).checked_add(self.ttl_ms) else {
            return invalid_expire(self.name);
        };
        ctx.ks.set(&self.key, Value::Str(self.value), false, now);
        ctx.ks.notify(notify::STRING, "set", &self.key);
        ctx.ks.set_expire(&self.key, Some(at as Millis));
        ctx.ks.notify(notify::GENERIC, "expire", &self.key);
        Reply::ok()
    }
}

pub(crate) fn invalid_expire(name: &str) -> Reply {
    Reply::error(format!("ERR invalid expire time in '{name}' command"))
}
