use crate::store::cmd::{arg, not_an_integer, syntax_error, wrong_type, Command, Ctx};
use crate::store::config::notify;
use crate::store::{int::parse_i64, reply::Reply};
use crate::time::Millis;

use super::setex::invalid_expire;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Ex,
    Px,
    ExAt,
    PxAt,
}

/// What GETEX does to the TTL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GetExOption {
    /// No option: a plain GET.
    Keep,
    Persist,
    /// An expiry option with its still unparsed value: Redis validates the
    /// number only after the key was found and type-checked, so GETEX on a
    /// missing key answers `(nil)` even with `EX abc`.
    Expire(Unit2),
}

/// An expiry option as written (unit and raw value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit2 {
    unit: Unit,
    raw: Vec<u8>,
}

/// `GETEX key [EX s | PX ms | EXAT t | PXAT t | PERSIST]`: GET that also
/// sets or clears the TTL. Options parse like SET's (Redis shares the
/// parser): the same kind may repeat, the last value winning, but two
/// different kinds are a syntax error. An absolute time already past deletes
/// the key after the value was returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetEx {
    pub key: Vec<u8>,
    pub option: GetExOption,
}

impl<'a> Command<'a> for GetEx {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let mut option = GetExOption::Keep;
        let mut i = 2;
        while let Some(opt) = args.get(i) {
            let opt = opt.to_ascii_uppercase();
            let next = args.get(i + 1);
            let unit = match opt.as_slice() {
                b"EX" => Some(Unit::Ex),
                b"PX" => Some(Unit::Px),
                b"EXAT" => Some(Unit::ExAt),
                b"PXAT" => Some(Unit::PxAt),
                _ => None,
            };
            match (opt.as_slice(), unit) {
                (b"PERSIST", _) if matches!(option, GetExOption::Keep | GetExOption::Persist) => {
                    option = GetExOption::Persist;
                }
                (_, Some(unit)) => match (&option, next) {
                    (GetExOption::Keep, Some(raw)) => {
                        option = GetExOption::Expire(Unit2 {
                            unit,
                            raw: raw.clone(),
                        });
                        i += 1;
                    }
                    (GetExOption::Expire(u), Some(raw)) if u.unit == unit => {
                        option = GetExOption::Expire(Unit2 {
                            unit,
                            raw: raw.clone(),
                        });
                        i += 1;
                    }
                    _ => return Err(syntax_error()),
                },
                _ => return Err(syntax_error()),
            }
            i += 1;
        }
        Ok(GetEx {
            key: arg(args, 1),
            option,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let value = match ctx.ks.lookup_read(&self.key, now) {
            None => return Reply::Nil,
            Some(e) => match e.value.as_str() {
                Some(s) => s.to_vec(),
                None => return wrong_type(),
            },
        };
        match self.option {
            GetExOption::Keep => {}
            GetExOption::Persist => {
                let had_ttl = ctx
                    .ks
                    .peek(&self.key)
                    .is_some_and(|e| e.expire_at().is_some());
                ctx.ks.set_expire(&self.key, None);
                if had_ttl {
                    ctx.ks.notify(notify::GENERIC, "persist", &self.key);
                }
            }
            GetExOption::Expire(Unit2 { unit, raw }) => {
                let Some(n) = parse_i64(&raw) else {
                    return not_an_integer();
                };
                let seconds = matches!(unit, Unit::Ex | Unit::ExAt);
                if n <= 0 || (seconds && n > i64::MAX / 1000) {
                    return invalid_expire("getex");
                }
                let ms = if seconds { n * 1000 } else { n };
                let at = match unit {
                    Unit::Ex | Unit::Px => match (now as i64).checked_add(ms) {
                        Some(at) => at,
                        None => return invalid_expire("getex"),
                    },
                    Unit::ExAt | Unit::PxAt => ms,
                };
                let absolute = matches!(unit, Unit::ExAt | Unit::PxAt);
                if absolute && at <= now as i64 {
                    ctx.ks.delete(&self.key, now);
                    ctx.ks.notify(notify::GENERIC, "del", &self.key);
                } else {
                    ctx.ks.set_expire(&self.key, Some(at as Millis));
                    ctx.ks.notify(notify::GENERIC, "expire", &self.key);
                }
            }
        }
        Reply::bulk(value)
    }
}
