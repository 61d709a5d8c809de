use super::read_hash;
use crate::store::cmd::{arg, Command, Ctx};
use crate::store::reply::Reply;

/// `HGET key field`: the value, `(nil)` when the key or field is absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HGet {
    pub key: Vec<u8>,
    pub field: Vec<u8>,
}

impl<'a> Command<'a> for HGet {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(HGet {
            key: arg(args, 1),
            field: arg(args, 2),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_hash(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(h) => h
                .and_then(|h| h.get(&self.field))
                .map_or(Reply::Nil, |v| Reply::bulk(v.clone())),
        }
    }
}

/// `HMGET key field [field …]`: one reply per field, `(nil)` for absent
/// ones; an absent key is an empty hash, not an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HMGet {
    pub key: Vec<u8>,
    pub fields: Vec<Vec<u8>>,
}

impl<'a> Command<'a> for HMGet {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(HMGet {
            key: arg(args, 1),
            fields: args.iter().skip(2).cloned().collect(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_hash(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(h) => Reply::Array(
                self.fields
                    .iter()
                    .map(|f| {
                        h.and_then(|h| h.get(f))
                            .map_or(Reply::Nil, |v| Reply::bulk(v.clone()))
                    })
                    .collect(),
            ),
        }
    }
}

/// `HEXISTS key field`: 1 or 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HExists {
    pub key: Vec<u8>,
    pub field: Vec<u8>,
}

impl<'a> Command<'a> for HExists {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(HExists {
            key: arg(args, 1),
            field: arg(args, 2),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_hash(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(h) => Reply::Integer(i64::from(h.is_some_and(|h| h.contains_key(&self.field)))),
        }
    }
}

/// `HLEN key`: the number of fields, 0 when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HLen {
    pub key: Vec<u8>,
}

impl<'a> Command<'a> for HLen {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(HLen { key: arg(args, 1) })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_hash(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(h) => Reply::Integer(h.map_or(0, |h| h.len() as i64)),
        }
    }
}

/// `HSTRLEN key field`: the length of the value, 0 when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HStrLen {
    pub key: Vec<u8>,
    pub field: Vec<u8>,
}

impl<'a> Command<'a> for HStrLen {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(HStrLen {
            key: arg(args, 1),
            field: arg(args, 2),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_hash(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(h) => Reply::Integer(
                h.and_then(|h| h.get(&self.field))
                    .map_or(0, |v| v.len() as i64),
            ),
        }
    }
}
