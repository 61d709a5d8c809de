use super::{score_reply, write_zset};
use crate::store::cmd::{arg, syntax_error, Command, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;
use crate::store::types::zset::{parse_score, ZSet};
use crate::store::value::Value;

/// `ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member …]`,
/// and `ZINCRBY key increment member`, which is ZADD INCR underneath (as in
/// Redis).
///
/// The checks come in Redis's order: options are read while they match a
/// flag name (in any order, repeats allowed); then an odd or empty list of
/// pairs is a syntax error; then the incompatible combinations; then every
/// score is parsed before the key is even looked at, so a bad score leaves
/// the set untouched.
#[derive(Clone, Debug, PartialEq)]
pub struct ZAdd {
    pub key: Vec<u8>,
    pub nx: bool,
    pub xx: bool,
    pub gt: bool,
    pub lt: bool,
    pub ch: bool,
    pub incr: bool,
    pub pairs: Vec<(f64, Vec<u8>)>,
}

fn not_a_float() -> Reply {
    Reply::error("ERR value is not a valid float")
}

impl ZAdd {
    /// ZINCRBY is ZADD INCR underneath, option parsing included: an
    /// increment spelled like a flag (`ZINCRBY k XX m`) is taken as one,
    /// which leaves a lone argument, so Redis answers a syntax error.
    pub fn parse_zincrby(args: &[Vec<u8>]) -> Result<Self, Reply> {
        let mut z = <ZAdd as Command>::parse(args)?;
        z.incr = true;
        Ok(z)
    }

    /// Runs ZADD (or ZINCRBY).
    pub fn apply_zadd(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let nothing = |incr: bool| if incr { Reply::Nil } else { Reply::Integer(0) };
        match write_zset(ks, &self.key, now) {
            Err(e) => return e,
            // No key and XX: nothing to do, and no key is created.
            Ok(None) if self.xx => return nothing(self.incr),
            Ok(None) => {
                let first = self.pairs.first().map_or(0, |(_, m)| m.len());
                let z = ZSet::for_zadd(first);
                ks.set(&self.key, Value::ZSet(z), false, now)
            }
            Ok(Some(_)) => {}
        }
        let Ok(Some(z)) = write_zset(ks, &self.key, now) else {
            return nothing(self.incr);
        };
        let (mut added, mut updated, mut processed) = (0i64, 0i64, 0);
        let mut last = 0.0;
        for (score, member) in self.pairs {
            match z.score(&member) {
                Some(_) if self.nx => continue,
                Some(cur) => {
                    let score = if self.incr { score + cur } else { score };
                    if score.is_nan() {
                        return Reply::error("ERR resulting score is not a number (NaN)");
                    }
                    if (self.lt && score >= cur) || (self.gt && score <= cur) {
                        continue;
                    }
                    if score != cur {
                        z.insert(member, score);
                        updated += 1;
                    }
                    // The reply of INCR is the sum as computed, so 0 + -0
                    // would show `-0` although the set stores 0.
                    last = score;
                }
                None if self.xx => continue,
                None => {
                    z.insert(member, score);
                    added += 1;
                    last = score;
                }
            }
            processed += 1;
        }
        if added > 0 || updated > 0 {
            let event = if self.incr { "zincr" } else { "zadd" };
            ks.notify(notify::ZSET, event, &self.key);
        }
        if self.incr {
            if processed > 0 {
                score_reply(last)
            } else {
                Reply::Nil
            }
        } else {
            Reply::Integer(if self.ch { added + updated } else { added })
        }
    }
}

impl<'a> Command<'a> for ZAdd {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let mut z = ZAdd {
            key: arg(args, 1),
            nx: false,
            xx: false,
            gt: false,
            lt: false,
            ch: false,
            incr: false,
            pairs: Vec::new(),
        };
        let mut i = 2;
        while let Some(opt) = args.get(i) {
            match opt.to_ascii_lowercase().as_slice() {
                b"nx" => z.nx = true,
                b"xx" => z.xx = true,
                b"gt" => z.gt = true,
                b"lt" => z.lt = true,
                b"ch" => z.ch = true,
                b"incr" => z.incr = true,
                _ => break,
            }
            i += 1;
        }
        let rest = args.get(i..).unwrap_or_default();
        if rest.is_empty() || rest.len() % 2 != 0 {
            return Err(syntax_error());
        }
        if z.nx && z.xx {
            return Err(Reply::error(
                "ERR XX and NX options at the same time are not compatible",
            ));
        }
        if (z.nx && (z.gt || z.lt)) || (z.gt && z.lt) {
            return Err(Reply::error(
                "ERR GT, LT, and/or NX options at the same time are not compatible",
            ));
        }
        if z.incr && rest.len() > 2 {
            return Err(Reply::error(
                "ERR INCR option supports a single increment-element pair",
            ));
        }
        for p in rest.chunks(2) {
            let score = parse_score(&arg(p, 0)).ok_or_else(not_a_float)?;
            z.pairs.push((score, arg(p, 1)));
        }
        Ok(z)
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        self.apply_zadd(ctx)
    }
}
