use crate::store::cmd::{arg_ref, wrong_type};
use crate::store::cmd::{Command, Ctx};
use crate::store::reply::Reply;

/// `GET key`: the string value, `(nil)` when absent or expired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Get<'a> {
    pub key: &'a [u8],
}

impl<'a> Command<'a> for Get<'a> {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(Get {
            key: arg_ref(args, 1),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let ks = &mut *ctx.ks;
        match ks.lookup_read(self.key, now) {
            None => Reply::Nil,
            Some(e) => match e.value.as_str() {
                Some(s) => Reply::bulk(s),
                None => wrong_type(),
            },
        }
    }
}
