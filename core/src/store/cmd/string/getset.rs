use crate::store::cmd::{arg, wrong_type, Command, Ctx};
use crate::store::config::notify;
use crate::store::{keyspace::Value, reply::Reply};

/// `GETSET key value`: the old string value (or `(nil)`), and the new value
/// is stored like a plain SET, dropping any TTL. WRONGTYPE leaves the key
/// untouched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetSet {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
}

impl<'a> Command<'a> for GetSet {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(GetSet {
            key: arg(args, 1),
            value: arg(args, 2),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let old = match ctx.ks.lookup_read(&self.key, now) {
            None => Reply::Nil,
            Some(e) => match e.value.as_str() {
                Some(s) => Reply::bulk(s),
                None => return wrong_type(),
            },
        };
        ctx.ks.set(&self.key, Value::Str(self.value), false, now);
        ctx.ks.notify(notify::STRING, "set", &self.key);
        old
    }
}
