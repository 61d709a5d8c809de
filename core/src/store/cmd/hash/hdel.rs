use super::write_hash;
use crate::store::cmd::{arg, Command, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;

/// `HDEL key field [field …]`: how many fields were removed. A hash left
/// empty is deleted (the store's size refresh does it, as Redis does right
/// away), so EXISTS then answers 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HDel {
    pub key: Vec<u8>,
    pub fields: Vec<Vec<u8>>,
}

impl<'a> Command<'a> for HDel {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(HDel {
            key: arg(args, 1),
            fields: args.iter().skip(2).cloned().collect(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let removed = match write_hash(ctx.ks, &self.key, ctx.now) {
            Err(e) => return e,
            Ok(None) => 0,
            // shift_remove closes the gap, keeping the others in order, as
            // deleting from a listpack does.
            Ok(Some(h)) => self
                .fields
                .iter()
                .filter(|f| h.shift_remove(f.as_slice()).is_some())
                .count(),
        };
        if removed > 0 {
            ctx.ks.notify(notify::HASH, "hdel", &self.key);
            ctx.ks.delete_if_empty(&self.key, ctx.now);
        }
        Reply::Integer(removed as i64)
    }
}
