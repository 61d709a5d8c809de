use crate::store::cmd::{subcommands, Command as Cmd, Ctx, GROUPS};
use crate::store::reply::Reply;

/// Redis 7.0's `COMMAND HELP`, line for line.
const HELP: &[&str] = &[
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Prints this help.",
];

/// Subcommands the parser knows (for arity and Tab completion) that answer
/// only with a refusal: left out of COMMAND LIST, which names what runs.
const REFUSED: &[&str] = &[
    "command|docs",
    "command|getkeys",
    "command|getkeysandflags",
    "command|info",
    "function|delete",
    "function|dump",
    "function|flush",
    "function|load",
    "function|restore",
];

/// `COMMAND COUNT | LIST | HELP`. The subcommand name and arity were
/// checked before (`cmd::check`), so only the ones the playground does not
/// model are left to refuse here. COUNT and LIST answer for the commands
/// this store has: a real Redis 7.0 knows 240, the playground a subset.
/// As in Redis, COUNT counts commands, and LIST names each command and
/// then its subcommands as `container|sub` (`config`, `config|get`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Count,
    List,
    Help,
}

impl<'a> Cmd<'a> for Command {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let sub = args.get(1).map(|s| s.to_ascii_lowercase());
        match sub.as_deref() {
            Some(b"count") => Ok(Command::Count),
            Some(b"help") => Ok(Command::Help),
            Some(b"list") if args.len() == 2 => Ok(Command::List),
            Some(b"list") => Err(Reply::error(
                "ERR the playground's COMMAND LIST takes no FILTERBY",
            )),
            // INFO, DOCS, GETKEYS…: real subcommands this store lacks.
            Some(other) => Err(Reply::error(format!(
                "ERR the playground does not implement COMMAND {}; it has COUNT, LIST and HELP",
                String::from_utf8_lossy(other).to_ascii_uppercase()
            ))),
            None => Err(Reply::error(
                "ERR the playground does not implement COMMAND without a subcommand; it has COUNT, LIST and HELP",
            )),
        }
    }

    fn apply(self, _ctx: &mut Ctx) -> Reply {
        let specs = GROUPS.iter().flat_map(|g| g.iter());
        match self {
            Command::Count => Reply::Integer(specs.count() as i64),
            Command::List => {
                let mut names = Vec::new();
                for spec in specs {
                    names.push(Reply::bulk(spec.name));
                    for (sub, _) in subcommands(spec.name).unwrap_or_default() {
                        let full = format!("{}|{sub}", spec.name);
                        if !REFUSED.contains(&full.as_str()) {
                            names.push(Reply::bulk(full));
                        }
                    }
                }
                Reply::Array(names)
            }
            Command::Help => Reply::help(HELP),
        }
    }
}
