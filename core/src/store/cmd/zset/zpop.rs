use super::{score_reply, write_zset};
use crate::store::cmd::{arg, syntax_error, Ctx};
use crate::store::config::notify;
use crate::store::{int::parse_i64, reply::Reply};

/// `ZPOPMIN`/`ZPOPMAX key [count]`: removes and returns the lowest (or
/// highest) members with their scores, as one flat array in RESP2.
///
/// Redis 7.0 order of checks: more than one count argument is a syntax
/// error (not an arity error, unlike LPOP); the count must be a
/// non-negative integer; then the key's type, even for a count of 0; an
/// absent key is an empty array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZPop {
    pub key: Vec<u8>,
    pub count: usize,
    pub max: bool,
}

impl ZPop {
    pub fn parse_as(args: &[Vec<u8>], max: bool) -> Result<Self, Reply> {
        if args.len() > 3 {
            return Err(syntax_error());
        }
        let count = match args.get(2) {
            None => 1,
            Some(c) => match parse_i64(c) {
                Some(n) if n >= 0 => usize::try_from(n).unwrap_or(usize::MAX),
                _ => return Err(Reply::error("ERR value is out of range, must be positive")),
            },
        };
        Ok(ZPop {
            key: arg(args, 1),
            count,
            max,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let z = match write_zset(ks, &self.key, now) {
            Err(e) => return e,
            Ok(None) => return Reply::Array(Vec::new()),
            Ok(Some(z)) => z,
        };
        let picked: Vec<(Vec<u8>, f64)> = if self.max {
            z.iter()
                .rev()
                .take(self.count)
                .map(|(m, s)| (m.to_vec(), s))
                .collect()
        } else {
            z.iter()
                .take(self.count)
                .map(|(m, s)| (m.to_vec(), s))
                .collect()
        };
        let mut out = Vec::with_capacity(picked.len() * 2);
        for (m, s) in picked {
            z.remove(&m);
            out.push(Reply::Bulk(m));
            out.push(score_reply(s));
        }
        if !out.is_empty() {
            let event = if self.max { "zpopmax" } else { "zpopmin" };
            ks.notify(notify::ZSET, event, &self.key);
        }
        ks.delete_if_empty(&self.key, now);
        Reply::Array(out)
    }
}
