use crate::store::cmd::{Command, Ctx};
use crate::store::reply::Reply;

/// `TIME`: the server's clock as Unix seconds and microseconds. Here that
/// clock is the virtual one, which starts at 0 (the page's "Unix time" is
/// virtual, as EXPIREAT's is), so TIME tells how long the simulation ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Time;

impl<'a> Command<'a> for Time {
    fn parse(_args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(Time)
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (secs, ms) = (ctx.now / 1_000, ctx.now % 1_000);
        Reply::Array(vec![
            Reply::Bulk(secs.to_string().into_bytes()),
            Reply::Bulk((ms * 1_000).to_string().into_bytes()),
        ])
    }
}
