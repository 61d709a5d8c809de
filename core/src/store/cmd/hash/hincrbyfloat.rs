use super::write_or_create_hash;
use crate::store::cmd::{arg, Command, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;
use crate::store::types::longdouble::LongDouble;

/// `HINCRBYFLOAT key field increment`: adds to the number in a field
/// (absent counts as 0) and stores the result as text.
///
/// Redis computes in `long double` and stores `%.17Lf` with trailing zeros
/// trimmed, so `1.5 + 0.1` is `1.6` and `1e20` is written out in full;
/// [`LongDouble`] reproduces that exactly. An infinite increment is
/// refused before the key is looked at; an infinite result after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HIncrByFloat {
    pub key: Vec<u8>,
    pub field: Vec<u8>,
    pub by: LongDouble,
}

impl<'a> Command<'a> for HIncrByFloat {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let by = LongDouble::parse(&arg(args, 3))
            .map_err(|_| Reply::error("ERR value is not a valid float"))?;
        if by.is_inf() {
            return Err(Reply::error("ERR value is NaN or Infinity"));
        }
        Ok(HIncrByFloat {
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
            None => LongDouble::from_i64(0),
            Some(v) => match LongDouble::parse(v) {
                Ok(n) => n,
                Err(_) => return Reply::error("ERR hash value is not a float"),
            },
        };
        let next = current.plus(self.by);
        if next.is_inf() {
            return Reply::error("ERR increment would produce NaN or Infinity");
        }
        let text = next.to_human().into_bytes();
        h.insert(self.field, text.clone());
        ctx.ks.notify(notify::HASH, "hincrbyfloat", &self.key);
        Reply::Bulk(text)
    }
}
