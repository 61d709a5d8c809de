use crate::store::cmd::{arg, wrong_type, Command, Ctx};
use crate::store::config::notify;
use crate::store::keyspace::{Built, Value};
use crate::store::reply::Reply;

/// `APPEND key value`: appends to the string (creating it when absent) and
/// answers the new length. The TTL is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Append {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
}

impl<'a> Command<'a> for Append {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(Append {
            key: arg(args, 1),
            value: arg(args, 2),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        match ctx.ks.lookup_write(&self.key, now) {
            None => {
                let len = self.value.len();
                ctx.ks.set(&self.key, Value::Str(self.value), false, now);
                ctx.ks.notify(notify::STRING, "append", &self.key);
                Reply::Integer(len as i64)
            }
            Some(e) => match &mut e.value {
                Value::Str(s) => {
                    s.extend_from_slice(&self.value);
                    let len = s.len();
                    e.mark_built(Built::InPlace);
                    ctx.ks.notify(notify::STRING, "append", &self.key);
                    Reply::Integer(len as i64)
                }
                _ => wrong_type(),
            },
        }
    }
}
