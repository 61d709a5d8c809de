use crate::store::cmd::{arg, Command, Ctx};
use crate::store::reply::Reply;

/// `ECHO message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Echo(pub Vec<u8>);

impl<'a> Command<'a> for Echo {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(Echo(arg(args, 1)))
    }

    fn apply(self, _ctx: &mut Ctx) -> Reply {
        Reply::Bulk(self.0)
    }
}
