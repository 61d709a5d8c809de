use crate::store::cmd::{arg, Command, Ctx};
use crate::store::config::notify;
use crate::store::{keyspace::Value, reply::Reply};

/// `SETNX key value`: SET … NX that answers 1 when it set the key and 0 when
/// the key already existed (of any type: no type check, nothing is read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetNx {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
}

impl<'a> Command<'a> for SetNx {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(SetNx {
            key: arg(args, 1),
            value: arg(args, 2),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        if ctx.ks.lookup_write(&self.key, now).is_some() {
            return Reply::Integer(0);
        }
        ctx.ks.set(&self.key, Value::Str(self.value), false, now);
        ctx.ks.notify(notify::STRING, "set", &self.key);
        Reply::Integer(1)
    }
}
