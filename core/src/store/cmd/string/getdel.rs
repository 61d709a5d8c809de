use crate::store::cmd::{arg, wrong_type, Command, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;

/// `GETDEL key`: the string value, then the key is deleted. `(nil)` when
/// absent; WRONGTYPE (and nothing deleted) for other types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetDel {
    pub key: Vec<u8>,
}

impl<'a> Command<'a> for GetDel {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(GetDel { key: arg(args, 1) })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let value = match ctx.ks.lookup_read(&self.key, now) {
            None => return Reply::Nil,
            Some(e) => match e.value.as_str() {
                Some(s) => s.to_vec(),
                None => return wrong_type(),
            },
        };
        ctx.ks.delete(&self.key, now);
        ctx.ks.notify(notify::GENERIC, "del", &self.key);
        Reply::bulk(value)
    }
}
