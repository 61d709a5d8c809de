use super::write_list;
use crate::store::cmd::{arg, not_an_integer, Command, Ctx};
use crate::store::config::notify;
use crate::store::{int::parse_i64, reply::Reply};

/// `LREM key count element`: removes elements equal to `element`: the
/// first `count` from the head when positive, the last `-count` from the
/// tail when negative, all when 0. Replies how many went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LRem {
    pub key: Vec<u8>,
    pub count: i64,
    pub element: Vec<u8>,
}

impl<'a> Command<'a> for LRem {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(LRem {
            key: arg(args, 1),
            count: parse_i64(&arg(args, 2)).ok_or_else(not_an_integer)?,
            element: arg(args, 3),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let list = match write_list(ks, &self.key, now) {
            Err(e) => return e,
            Ok(None) => return Reply::Integer(0),
            Ok(Some(l)) => l,
        };
        let limit = if self.count == 0 {
            u64::MAX
        } else {
            self.count.unsigned_abs()
        };
        let mut removed: u64 = 0;
        if self.count >= 0 {
            let mut i = 0;
            while i < list.len() && removed < limit {
                if list.get(i) == Some(&self.element) {
                    list.remove(i);
                    removed += 1;
                } else {
                    i += 1;
                }
            }
        } else {
            let mut i = list.len();
            while i > 0 && removed < limit {
                i -= 1;
                if list.get(i) == Some(&self.element) {
                    list.remove(i);
                    removed += 1;
                }
            }
        }
        if removed > 0 {
            ks.notify(notify::LIST, "lrem", &self.key);
        }
        ks.delete_if_empty(&self.key, now);
        Reply::Integer(removed as i64)
    }
}
