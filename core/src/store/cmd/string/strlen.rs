use crate::store::cmd::{arg, wrong_type, Command, Ctx};
use crate::store::reply::Reply;

/// `STRLEN key`: the length in bytes, 0 when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrLen {
    pub key: Vec<u8>,
}

impl<'a> Command<'a> for StrLen {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(StrLen { key: arg(args, 1) })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match ctx.ks.lookup_read(&self.key, ctx.now) {
            None => Reply::Integer(0),
            Some(e) => match e.value.as_str() {
                Some(s) => Reply::Integer(s.len() as i64),
                None => wrong_type(),
            },
        }
    }
}
