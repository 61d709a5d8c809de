use super::read_list;
use crate::store::cmd::{arg, not_an_integer, Command, Ctx};
use crate::store::{int::parse_i64, reply::Reply};

/// `LINDEX key index`: the element at `index` (negative from the end),
/// `(nil)` when out of range or absent. Redis 7.0 looks the key up before
/// parsing the index, so `LINDEX missing x` is `(nil)` and a string key
/// gives WRONGTYPE rather than the integer error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LIndex {
    pub key: Vec<u8>,
    pub index: Vec<u8>,
}

impl<'a> Command<'a> for LIndex {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(LIndex {
            key: arg(args, 1),
            index: arg(args, 2),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let list = match read_list(ctx.ks, &self.key, ctx.now) {
            Err(e) => return e,
            Ok(None) => return Reply::Nil,
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
        i.and_then(|i| usize::try_from(i).ok())
            .and_then(|i| list.get(i))
            .map_or(Reply::Nil, |e| Reply::bulk(e.clone()))
    }
}

/// `LLEN key`: the length, 0 when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LLen {
    pub key: Vec<u8>,
}

impl<'a> Command<'a> for LLen {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(LLen { key: arg(args, 1) })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_list(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(l) => Reply::Integer(l.map_or(0, |l| l.len() as i64)),
        }
    }
}
