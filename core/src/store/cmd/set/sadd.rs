use super::write_set;
use crate::store::cmd::{arg, Command, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;
use crate::store::value::{Set, Value};

/// `SADD key member [member …]`: replies how many members were new.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SAdd {
    pub key: Vec<u8>,
    pub members: Vec<Vec<u8>>,
}

impl<'a> Command<'a> for SAdd {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(SAdd {
            key: arg(args, 1),
            members: args.get(2..).unwrap_or_default().to_vec(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        match write_set(ks, &self.key, now) {
            Err(e) => return e,
            // A new set's encoding follows its first member (setTypeCreate).
            Ok(None) => {
                let first = self.members.first().map(Vec::as_slice).unwrap_or_default();
                ks.set(&self.key, Value::Set(Set::for_first(first)), false, now);
            }
            Ok(Some(_)) => {}
        }
        let Ok(Some(set)) = write_set(ks, &self.key, now) else {
            return Reply::Integer(0);
        };
        let added = self.members.iter().filter(|m| set.insert(m)).count();
        if added > 0 {
            ks.notify(notify::SET, "sadd", &self.key);
        }
        Reply::Integer(added as i64)
    }
}

/// `SREM key member [member …]`: replies how many were removed; an empty
/// set is deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SRem {
    pub key: Vec<u8>,
    pub members: Vec<Vec<u8>>,
}

impl<'a> Command<'a> for SRem {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(SRem {
            key: arg(args, 1),
            members: args.get(2..).unwrap_or_default().to_vec(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let set = match write_set(ks, &self.key, now) {
            Err(e) => return e,
            Ok(None) => return Reply::Integer(0),
            Ok(Some(s)) => s,
        };
        let removed = self.members.iter().filter(|m| set.remove(m)).count();
        if removed > 0 {
            ks.notify(notify::SET, "srem", &self.key);
        }
        ks.delete_if_empty(&self.key, now);
        Reply::Integer(removed as i64)
    }
}
