use super::write_list;
use crate::store::cmd::{arg, not_an_integer, syntax_error, Command, Ctx};
use crate::store::config::notify;
use crate::store::{int::parse_i64, reply::Reply};

/// `LSET key index element`: replaces the element at `index` (negative
/// from the end). An absent key is an error ("no such key"), as is an
/// index outside the list. Redis 7.0 looks the key up (and checks its
/// type) before it parses the index, so the index stays raw until then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LSet {
    pub key: Vec<u8>,
    pub index: Vec<u8>,
    pub element: Vec<u8>,
}

impl<'a> Command<'a> for LSet {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(LSet {
            key: arg(args, 1),
            index: arg(args, 2),
            element: arg(args, 3),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let list = match write_list(ctx.ks, &self.key, ctx.now) {
            Err(e) => return e,
            Ok(None) => return Reply::error("ERR no such key"),
            Ok(Some(l)) => l,
        };
        let Some(index) = parse_i64(&self.index) else {
            return not_an_integer();
        };
        let i = if index < 0 {
            index.checked_add(list.len() as i64)
        } else {
            Some(index)
        };
        match i
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| list.get_mut(i))
        {
            Some(slot) => {
                *slot = self.element;
                ctx.ks.notify(notify::LIST, "lset", &self.key);
                Reply::ok()
            }
            None => Reply::error("ERR index out of range"),
        }
    }
}

/// `LINSERT key BEFORE|AFTER pivot element`: inserts next to the first
/// element equal to `pivot`. Replies the new length, -1 when the pivot is
/// not found, 0 when the key is absent. The direction word is checked
/// before the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LInsert {
    pub key: Vec<u8>,
    pub after: bool,
    pub pivot: Vec<u8>,
    pub element: Vec<u8>,
}

impl<'a> Command<'a> for LInsert {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let after = match arg(args, 2).to_ascii_lowercase().as_slice() {
            b"after" => true,
            b"before" => false,
            _ => return Err(syntax_error()),
        };
        Ok(LInsert {
            key: arg(args, 1),
            after,
            pivot: arg(args, 3),
            element: arg(args, 4),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let list = match write_list(ctx.ks, &self.key, ctx.now) {
            Err(e) => return e,
            Ok(None) => return Reply::Integer(0),
            Ok(Some(l)) => l,
        };
        let Some(pos) = list.iter().position(|e| *e == self.pivot) else {
            return Reply::Integer(-1);
        };
        list.insert(if self.after { pos + 1 } else { pos }, self.element);
        let len = list.len() as i64;
        ctx.ks.notify(notify::LIST, "linsert", &self.key);
        Reply::Integer(len)
    }
}
