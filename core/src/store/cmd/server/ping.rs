use crate::store::cmd::wrong_arity;
use crate::store::cmd::{Command, Ctx};
use crate::store::reply::Reply;

/// `PING [message]`: `PONG`, or the message echoed as a bulk string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ping {
    pub message: Option<Vec<u8>>,
}

impl<'a> Command<'a> for Ping {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        // The table allows any count ("-1") and PING itself refuses more than one
        // message, so the error names the command as Redis does.
        if args.len() > 2 {
            return Err(wrong_arity("ping"));
        }
        Ok(Ping {
            message: args.get(1).cloned(),
        })
    }

    fn apply(self, _ctx: &mut Ctx) -> Reply {
        match self.message {
            None => Reply::Simple("PONG".into()),
            Some(m) => Reply::Bulk(m),
        }
    }
}
