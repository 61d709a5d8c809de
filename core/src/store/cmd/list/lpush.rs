use super::{write_list, End, List};
use crate::store::cmd::{arg, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;
use crate::store::value::Value;

/// `LPUSH`/`RPUSH key element [element …]` and the `X` variants, which only
/// push onto an existing list. Elements go in one at a time, so
/// `LPUSH k a b c` leaves `c b a`. Replies the new length (0 for an `X`
/// push onto an absent key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Push {
    pub key: Vec<u8>,
    pub elements: Vec<Vec<u8>>,
    pub end: End,
    pub only_existing: bool,
}

impl Push {
    pub fn parse_as(args: &[Vec<u8>], end: End, only_existing: bool) -> Self {
        Push {
            key: arg(args, 1),
            elements: args.iter().skip(2).cloned().collect(),
            end,
            only_existing,
        }
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        match write_list(ks, &self.key, now) {
            Err(e) => return e,
            Ok(None) if self.only_existing => return Reply::Integer(0),
            Ok(None) => ks.set(&self.key, Value::List(List::new()), false, now),
            Ok(Some(_)) => {}
        }
        let Ok(Some(list)) = write_list(ks, &self.key, now) else {
            return Reply::Integer(0);
        };
        for e in self.elements {
            match self.end {
                End::Left => list.push_front(e),
                End::Right => list.push_back(e),
            }
        }
        let len = list.len() as i64;
        ks.notify(notify::LIST, self.end.push_event(), &self.key);
        Reply::Integer(len)
    }
}
