use crate::store::cmd::{Command as Cmd, Ctx, GROUPS};
use crate::store::reply::Reply;

/// `COMMAND COUNT`: how many commands this store knows (a real Redis 7.0
/// knows about 240; the playground models a subset).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandCount;

impl Cmd for CommandCount {
    fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        match args.get(1).map(|s| s.to_ascii_lowercase()) {
            Some(s) if s == b"count" && args.len() == 2 => Ok(CommandCount),
            Some(s) if s == b"count" => Err(Reply::error(
                "ERR wrong number of arguments for 'command|count' command",
            )),
            Some(_) => Err(Reply::error(format!(
                "ERR unknown subcommand '{}'. Try COMMAND HELP.",
                String::from_utf8_lossy(args.get(1).map(Vec::as_slice).unwrap_or_default())
            ))),
            None => Err(Reply::error(
                "ERR the playground only supports COMMAND COUNT",
            )),
        }
    }

    fn apply(self, _ctx: &mut Ctx) -> Reply {
        Reply::Integer(GROUPS.iter().map(|g| g.len()).sum::<usize>() as i64)
    }
}
