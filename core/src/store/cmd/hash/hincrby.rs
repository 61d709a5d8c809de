use super::write_or_create_hash;
use crate::store::cmd::{arg, not_an_integer, Command, Ctx};
use crate::store::config::notify;
use crate::store::int::{i64_bytes, parse_i64};
use crate::store::reply::Reply;

/// `HINCRBY key field increment`: adds to the integer in a field (absent
/// counts as 0). The increment is checked before the key's type, as in
/// Redis; a field that is not an integer has its own error text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HIncrBy {
    pub key: Vec<u8>,
    pub field: Vec<u8>,
    pub by: i64,
}

impl<'a> Command<'a> for HIncrBy {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let by = parse_i64(&arg(args, 3)).ok_or_else(not_an_integer)?;
        Ok(HIncrBy {
            key: arg(args, 1),
            field: arg(args, 2),
            by,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let h = match write_or_create_hash(ctx.ks, &self.key, ctx.now) {
            Ok(h) => h,
            Err(e) => return e,
        };
        let current = match h.get(&self.field) {
            None => 0,
            Some(v) => match parse_i64(v) {
                Some(n) => n,
                None => return Reply::error("ERR hash value is not an integer"),
            },
        };
        let Some(next) = current.checked_add(self.by) else {
            return Reply::error("ERR increment or decrement would overflow");
        };
        h.insert(self.field, i64_bytes(next));
        ctx.ks.notify(notify::HASH, "hincrby", &self.key);
        Reply::Integer(next)
    }
}
