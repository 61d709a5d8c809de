use super::{write_list, End};
use crate::store::cmd::{arg, wrong_arity, Ctx};
use crate::store::config::notify;
use crate::store::{int::parse_i64, reply::Reply};

/// `LPOP`/`RPOP key [count]`.
///
/// Without a count: one element, or `(nil)`. With a count: an array of up
/// to `count` elements; an absent key is a nil array (shown `(nil)`), and
/// that is checked before the count, so `LPOP missing 0` is `(nil)` while
/// `LPOP list 0` is an empty array. The count must be a non-negative
/// integer; anything else, not-a-number included, gets Redis's "must be
/// positive" text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pop {
    pub key: Vec<u8>,
    pub count: Option<usize>,
    pub end: End,
}

impl Pop {
    pub fn parse_as(args: &[Vec<u8>], end: End) -> Result<Self, Reply> {
        let name = if end == End::Left { "lpop" } else { "rpop" };
        if args.len() > 3 {
            return Err(wrong_arity(name));
        }
        let count = match args.get(2) {
            None => None,
            Some(c) => match parse_i64(c) {
                Some(n) if n >= 0 => Some(usize::try_from(n).unwrap_or(usize::MAX)),
                _ => return Err(Reply::error("ERR value is out of range, must be positive")),
            },
        };
        Ok(Pop {
            key: arg(args, 1),
            count,
            end,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let list = match write_list(ks, &self.key, now) {
            Err(e) => return e,
            Ok(None) => return Reply::Nil,
            Ok(Some(l)) => l,
        };
        let mut take = || match self.end {
            End::Left => list.pop_front(),
            End::Right => list.pop_back(),
        };
        let reply = match self.count {
            None => take().map_or(Reply::Nil, Reply::Bulk),
            Some(n) => {
                let mut out = Vec::new();
                while out.len() < n {
                    match take() {
                        Some(e) => out.push(Reply::Bulk(e)),
                        None => break,
                    }
                }
                Reply::Array(out)
            }
        };
        if !reply.is_nothing() {
            ks.notify(notify::LIST, self.end.pop_event(), &self.key);
        }
        ks.delete_if_empty(&self.key, now);
        reply
    }
}
