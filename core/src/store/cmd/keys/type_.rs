use crate::store::cmd::{arg, Command, Ctx};
use crate::store::reply::Reply;

/// `TYPE key`: the type name as a simple string, `none` when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Type {
    pub key: Vec<u8>,
}

impl<'a> Command<'a> for Type {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(Type { key: arg(args, 1) })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let name = match super::lookup_notouch(ctx.ks, &self.key, ctx.now) {
            Some(e) => e.value.type_name(),
            None => "none",
        };
        Reply::Simple(name.into())
    }
}
