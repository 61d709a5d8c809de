use super::{clamp_range, read_list, write_list};
use crate::store::cmd::{arg, not_an_integer, Command, Ctx};
use crate::store::config::notify;
use crate::store::{int::parse_i64, reply::Reply};

/// `LRANGE key start stop`: inclusive indexes, negative from the end,
/// clamped to the list; an empty array when nothing is in range or the key
/// is absent. Both indexes are parsed before the key is looked at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LRange {
    pub key: Vec<u8>,
    pub start: i64,
    pub stop: i64,
}

impl<'a> Command<'a> for LRange {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(LRange {
            key: arg(args, 1),
            start: parse_i64(&arg(args, 2)).ok_or_else(not_an_integer)?,
            stop: parse_i64(&arg(args, 3)).ok_or_else(not_an_integer)?,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let list = match read_list(ctx.ks, &self.key, ctx.now) {
            Err(e) => return e,
            Ok(None) => return Reply::Array(Vec::new()),
            Ok(Some(l)) => l,
        };
        let Some((start, end)) = clamp_range(self.start, self.stop, list.len()) else {
            return Reply::Array(Vec::new());
        };
        Reply::Array(
            list.iter()
                .skip(start)
                .take(end - start + 1)
                .map(|e| Reply::bulk(e.clone()))
                .collect(),
        )
    }
}

/// `LTRIM key start stop`: keeps only the range LRANGE would return; an
/// empty range empties the list, which deletes the key. Always OK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LTrim {
    pub key: Vec<u8>,
    pub start: i64,
    pub stop: i64,
}

impl<'a> Command<'a> for LTrim {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(LTrim {
            key: arg(args, 1),
            start: parse_i64(&arg(args, 2)).ok_or_else(not_an_integer)?,
            stop: parse_i64(&arg(args, 3)).ok_or_else(not_an_integer)?,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let list = match write_list(ks, &self.key, now) {
            Err(e) => return e,
            Ok(None) => return Reply::ok(),
            Ok(Some(l)) => l,
        };
        match clamp_range(self.start, self.stop, list.len()) {
            None => list.clear(),
            Some((start, end)) => {
                list.truncate(end + 1);
                list.drain(..start);
            }
        }
        // Announced even when nothing was trimmed, as Redis does.
        ks.notify(notify::LIST, "ltrim", &self.key);
        ks.delete_if_empty(&self.key, now);
        Reply::ok()
    }
}
