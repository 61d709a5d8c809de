use crate::store::cmd::{arg, not_an_integer, Ctx};
use crate::store::config::notify;
use crate::store::{int::parse_i64, reply::Reply};
use crate::time::Millis;

/// `EXPIRE`, `PEXPIRE`, `EXPIREAT`, `PEXPIREAT key time [NX|XX|GT|LT …]`.
///
/// As Redis 7's `expireGenericCommand`: options are checked first (an
/// unknown one is "Unsupported option", NX with any other or GT with LT is
/// refused), then the number, then overflow of the unit conversion and of
/// the base time. A missing key answers 0. NX wants no TTL, XX wants one,
/// GT wants the new time later than the current one (no TTL counts as
/// infinite, so GT never applies to it), LT wants it earlier (no TTL:
/// always). A time not in the future deletes the key and answers 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expire {
    pub key: Vec<u8>,
    pub time: i64,
    pub name: &'static str,
    pub seconds: bool,
    pub absolute: bool,
    pub nx: bool,
    pub xx: bool,
    pub gt: bool,
    pub lt: bool,
}

impl Expire {
    pub fn parse(args: &[Vec<u8>], name: &'static str) -> Result<Self, Reply> {
        let (mut nx, mut xx, mut gt, mut lt) = (false, false, false, false);
        for opt in args.iter().skip(3) {
            match opt.to_ascii_lowercase().as_slice() {
                b"nx" => nx = true,
                b"xx" => xx = true,
                b"gt" => gt = true,
                b"lt" => lt = true,
                _ => {
                    return Err(Reply::error(format!(
                        "ERR Unsupported option {}",
                        c_str(opt)
                    )))
                }
            }
        }
        if nx && (xx || gt || lt) {
            return Err(Reply::error(
                "ERR NX and XX, GT or LT options at the same time are not compatible",
            ));
        }
        if gt && lt {
            return Err(Reply::error(
                "ERR GT and LT options at the same time are not compatible",
            ));
        }
        let time = parse_i64(&arg(args, 2)).ok_or_else(not_an_integer)?;
        Ok(Expire {
            key: arg(args, 1),
            time,
            name,
            seconds: matches!(name, "expire" | "expireat"),
            absolute: matches!(name, "expireat" | "pexpireat"),
            nx,
            xx,
            gt,
            lt,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let invalid = || {
            Reply::error(format!(
                "ERR invalid expire time in '{}' command",
                self.name
            ))
        };
        let mut when = self.time;
        if self.seconds {
            if !(i64::MIN / 1000..=i64::MAX / 1000).contains(&when) {
                return invalid();
            }
            when *= 1000;
        }
        let base = if self.absolute { 0 } else { now as i64 };
        if when > i64::MAX - base {
            return invalid();
        }
        when += base;
        let Some(entry) = ctx.ks.lookup_write(&self.key, now) else {
            return Reply::Integer(0);
        };
        let current = entry.expire_at().map(|t| t as i64);
        let refused = (self.nx && current.is_some())
            || (self.xx && current.is_none())
            || (self.gt && current.is_none_or(|c| when <= c))
            || (self.lt && current.is_some_and(|c| when >= c));
        if refused {
            return Reply::Integer(0);
        }
        if when <= now as i64 {
            ctx.ks.delete(&self.key, now);
            ctx.ks.notify(notify::GENERIC, "del", &self.key);
        } else {
            ctx.ks.set_expire(&self.key, Some(when as Millis));
            ctx.ks.notify(notify::GENERIC, "expire", &self.key);
        }
        Reply::Integer(1)
    }
}

/// An argument as C's `%s` prints it: up to the first NUL.
fn c_str(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(b.get(..end).unwrap_or_default()).into_owned()
}

/// `EXPIRETIME key` / `PEXPIRETIME key`: the absolute expiry time (seconds
/// rounded half up, or milliseconds), −1 without TTL, −2 when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpireTime {
    pub key: Vec<u8>,
    pub millis: bool,
}

impl ExpireTime {
    pub fn parse(args: &[Vec<u8>], millis: bool) -> Result<Self, Reply> {
        Ok(ExpireTime {
            key: arg(args, 1),
            millis,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let Some(entry) = super::lookup_notouch(ctx.ks, &self.key, ctx.now) else {
            return Reply::Integer(-2);
        };
        let Some(at) = entry.expire_at() else {
            return Reply::Integer(-1);
        };
        let at = at as i64;
        Reply::Integer(if self.millis {
            at
        } else {
            at.saturating_add(500) / 1000
        })
    }
}

/// `PERSIST key`: 1 when a TTL was removed, 0 when absent or without one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Persist {
    pub key: Vec<u8>,
}

impl Persist {
    pub fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(Persist { key: arg(args, 1) })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let has_ttl = ctx
            .ks
            .lookup_write(&self.key, ctx.now)
            .is_some_and(|e| e.expire_at().is_some());
        if has_ttl {
            ctx.ks.set_expire(&self.key, None);
            ctx.ks.notify(notify::GENERIC, "persist", &self.key);
        }
        Reply::Integer(i64::from(has_ttl))
    }
}
