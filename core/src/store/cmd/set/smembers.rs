use super::read_set;
use crate::store::cmd::{arg, Command, Ctx};
use crate::store::reply::Reply;

/// `SCARD key`: the number of members, 0 for no key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SCard {
    pub key: Vec<u8>,
}

impl<'a> Command<'a> for SCard {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(SCard { key: arg(args, 1) })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_set(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(s) => Reply::Integer(s.map_or(0, |s| s.len()) as i64),
        }
    }
}

/// `SISMEMBER key member`: 1 or 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SIsMember {
    pub key: Vec<u8>,
    pub member: Vec<u8>,
}

impl<'a> Command<'a> for SIsMember {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(SIsMember {
            key: arg(args, 1),
            member: arg(args, 2),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_set(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(s) => Reply::Integer(i64::from(s.is_some_and(|s| s.contains(&self.member)))),
        }
    }
}

/// `SMISMEMBER key member [member …]`: 1 or 0 for each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SMIsMember {
    pub key: Vec<u8>,
    pub members: Vec<Vec<u8>>,
}

impl<'a> Command<'a> for SMIsMember {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(SMIsMember {
            key: arg(args, 1),
            members: args.get(2..).unwrap_or_default().to_vec(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match read_set(ctx.ks, &self.key, ctx.now) {
            Err(e) => e,
            Ok(s) => Reply::Array(
                self.members
                    .iter()
                    .map(|m| Reply::Integer(i64::from(s.is_some_and(|s| s.contains(m)))))
                    .collect(),
            ),
        }
    }
}
