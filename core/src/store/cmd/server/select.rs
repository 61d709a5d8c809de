use crate::store::cmd::keys::only_db_zero;
use crate::store::cmd::{arg, Command, Ctx};
use crate::store::reply::Reply;

/// `SELECT index`: the playground has one database, so `SELECT 0` is OK
/// (tutorials often start with it) and another valid index (1–15) gets an
/// error of the playground's own; a bad index gets Redis's error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Select;

impl<'a> Command<'a> for Select {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        only_db_zero(&arg(args, 1), "SELECT of another")?;
        Ok(Select)
    }

    fn apply(self, _ctx: &mut Ctx) -> Reply {
        Reply::ok()
    }
}
