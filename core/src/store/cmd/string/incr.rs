use crate::store::cmd::Ctx;
use crate::store::cmd::{arg_ref, not_an_integer, wrong_type};
use crate::store::config::notify;
use crate::store::int::{i64_bytes, parse_i64, push_i64};
use crate::store::{keyspace::Value, reply::Reply};

/// `INCR`, `DECR`, `INCRBY`, `DECRBY`: add `by` to the integer at `key`
/// (absent counts as 0). The TTL is kept; a key that had expired is
/// recreated without one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncrBy<'a> {
    pub key: &'a [u8],
    pub by: i64,
}

impl<'a> IncrBy<'a> {
    pub fn parse_incr(args: &'a [Vec<u8>], by: i64) -> Result<Self, Reply> {
        Ok(IncrBy {
            key: arg_ref(args, 1),
            by,
        })
    }

    pub fn parse_incrby(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let by = parse_i64(arg_ref(args, 2)).ok_or_else(not_an_integer)?;
        Ok(IncrBy {
            key: arg_ref(args, 1),
            by,
        })
    }

    pub fn parse_decrby(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let by = parse_i64(arg_ref(args, 2)).ok_or_else(not_an_integer)?;
        // Negating i64::MIN would overflow; Redis refuses it with its own text.
        let by = by
            .checked_neg()
            .ok_or_else(|| Reply::error("ERR decrement would overflow"))?;
        Ok(IncrBy {
            key: arg_ref(args, 1),
            by,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let ks = &mut *ctx.ks;
        let current = match ks.lookup_write(self.key, now) {
            None => None,
            Some(e) => match e.value.as_str() {
                None => return wrong_type(),
                Some(s) => match parse_i64(s) {
                    Some(n) => Some(n),
                    None => return not_an_integer(),
                },
            },
        };
        let Some(next) = current.unwrap_or(0).checked_add(self.by) else {
            return Reply::error("ERR increment or decrement would overflow");
        };
        let rewritten = current.is_some()
            && ks.rewrite_str(self.key, now, |bytes| {
                bytes.clear();
                push_i64(bytes, next);
            });
        if !rewritten {
            ks.set(self.key, Value::Str(i64_bytes(next)), false, now);
        }
        ks.notify(notify::STRING, "incrby", self.key);
        Reply::Integer(next)
    }
}
