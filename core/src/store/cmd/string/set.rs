use crate::store::cmd::{arg, arg_ref, not_an_integer, syntax_error, wrong_type};
use crate::store::cmd::{Command, Ctx};
use crate::store::config::notify;
use crate::store::{int::parse_i64, keyspace::Value, reply::Reply};
use crate::time::Millis;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetCondition {
    Always,
    /// `NX`: only if the key does not exist.
    IfAbsent,
    /// `XX`: only if the key exists.
    IfPresent,
}

/// The expiry option as written; turned into an absolute time when the
/// command runs, because relative ones count from that moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// No option: the key loses any TTL it had.
    None,
    KeepTtl,
    /// `EX seconds` / `PX milliseconds`, already in milliseconds.
    In(i64),
    /// `EXAT` / `PXAT`, already in milliseconds of the virtual clock.
    At(i64),
}

/// `SET key value [NX|XX] [GET] [EX s|PX ms|EXAT t|PXAT t|KEEPTTL]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Set<'a> {
    pub key: &'a [u8],
    pub value: Vec<u8>,
    pub condition: SetCondition,
    pub get: bool,
    pub expiry: Expiry,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Ex,
    Px,
    ExAt,
    PxAt,
}

impl<'a> Command<'a> for Set<'a> {
    /// Accepts exactly the combinations Redis 7 accepts: options may repeat
    /// (the last expiry wins), but NX with XX, or two different expiry
    /// kinds, or KEEPTTL with an expiry, is a syntax error.
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let mut condition = SetCondition::Always;
        let mut get = false;
        let mut keep_ttl = false;
        let mut expire: Option<(Unit, Vec<u8>)> = None;
        let mut i = 3;
        while let Some(opt) = args.get(i) {
            let opt = opt.to_ascii_uppercase();
            let next = args.get(i + 1);
            match opt.as_slice() {
                b"NX" if condition != SetCondition::IfPresent => condition = SetCondition::IfAbsent,
                b"XX" if condition != SetCondition::IfAbsent => condition = SetCondition::IfPresent,
                b"GET" => get = true,
                b"KEEPTTL" if expire.is_none() => keep_ttl = true,
                b"EX" | b"PX" | b"EXAT" | b"PXAT" => {
                    let unit = match opt.as_slice() {
                        b"EX" => Unit::Ex,
                        b"PX" => Unit::Px,
                        b"EXAT" => Unit::ExAt,
                        _ => Unit::PxAt,
                    };
                    match next {
                        // EX twice is fine (the last wins); EX then PX is not.
                        Some(value)
                            if !keep_ttl && expire.as_ref().is_none_or(|(u, _)| *u == unit) =>
                        {
                            expire = Some((unit, value.clone()));
                            i += 1;
                        }
                        _ => return Err(syntax_error()),
                    }
                }
                _ => return Err(syntax_error()),
            }
            i += 1;
        }
        let expiry = match expire {
            None if keep_ttl => Expiry::KeepTtl,
            None => Expiry::None,
            Some((unit, raw)) => {
                let n = parse_i64(&raw).ok_or_else(not_an_integer)?;
                let seconds = matches!(unit, Unit::Ex | Unit::ExAt);
                if n <= 0 || (seconds && n > i64::MAX / 1000) {
                    return Err(invalid_expire());
                }
                let ms = if seconds { n * 1000 } else { n };
                match unit {
                    Unit::Ex | Unit::Px => Expiry::In(ms),
                    Unit::ExAt | Unit::PxAt => Expiry::At(ms),
                }
            }
        };
        Ok(Set {
            key: arg_ref(args, 1),
            value: arg(args, 2),
            condition,
            get,
            expiry,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let ks = &mut *ctx.ks;
        let expire_at = match self.expiry {
            Expiry::In(ms) => match (now as i64).checked_add(ms) {
                Some(at) => Some(at as Millis),
                None => return invalid_expire(),
            },
            Expiry::At(at) => Some(at as Millis),
            Expiry::None | Expiry::KeepTtl => None,
        };
        // With GET the old value is the reply, read (and type-checked) first.
        let old = if self.get {
            match ks.lookup_read(self.key, now) {
                None => Some(Reply::Nil),
                Some(e) => match e.value.as_str() {
                    Some(s) => Some(Reply::bulk(s)),
                    None => return wrong_type(),
                },
            }
        } else {
            None
        };
        let exists = ks.lookup_write(self.key, now).is_some();
        let blocked = match self.condition {
            SetCondition::Always => false,
            SetCondition::IfAbsent => exists,
            SetCondition::IfPresent => !exists,
        };
        if blocked {
            return old.unwrap_or(Reply::Nil);
        }
        ks.set(
            self.key,
            Value::Str(self.value),
            self.expiry == Expiry::KeepTtl,
            now,
        );
        ks.notify(notify::STRING, "set", self.key);
        if expire_at.is_some() {
            ks.set_expire(self.key, expire_at);
            ks.notify(notify::GENERIC, "expire", self.key);
        }
        old.unwrap_or_else(Reply::ok)
    }
}

fn invalid_expire() -> Reply {
    Reply::error("ERR invalid expire time in 'set' command")
}
