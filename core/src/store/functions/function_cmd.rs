//! `FUNCTION LIST | STATS | HELP | KILL`: the library as a client of a real
//! Redis 7.0 sees it. The playground has one library, built in, so what
//! would change it (LOAD, DELETE, FLUSH, RESTORE) is refused with a note
//! saying why; `FUNCTION LIST WITHCODE` shows the Lua it runs.

use super::{FUNCTIONS, LIBRARY_SOURCE};
use crate::store::cmd::keys::string_match;
use crate::store::cmd::{Command, Ctx};
use crate::store::reply::Reply;

/// The library's name, from its `#!lua name=` line.
pub const LIBRARY_NAME: &str = "playground";

/// Redis 7.0's `FUNCTION HELP`, line for line.
const HELP: &[&str] = &[
    "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "LOAD [REPLACE] <FUNCTION CODE>",
    "    Create a new library with the given library name and code.",
    "DELETE <LIBRARY NAME>",
    "    Delete the given library.",
    "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
    "    Return general information on all the libraries:",
    "    * Library name",
    "    * The engine used to run the Library",
    "    * Library description",
    "    * Functions list",
    "    * Library code (if WITHCODE is given)",
    "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
    "STATS",
    "    Return information about the current function running:",
    "    * Function name",
    "    * Command used to run the function",
    "    * Duration in MS that the function is running",
    "    If no function is running, return nil",
    "    In addition, returns a list of available engines.",
    "KILL",
    "    Kill the current running function.",
    "FLUSH [ASYNC|SYNC]",
    "    Delete all the libraries.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the libraries.",
    "    * SYNC: Synchronously flush the libraries.",
    "DUMP",
    "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
    "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
    "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
    "    control how to handle existing libraries (default APPEND):",
    "    * FLUSH: delete all existing libraries.",
    "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
    "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
    "      libraries with the new libraries (notice that even on this option there is a chance of failure",
    "      in case of functions name collision with another library).",
    "HELP",
    "    Prints this help.",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Function {
    List {
        with_code: bool,
        /// LIBRARYNAME's glob, matched in any letter case.
        pattern: Option<Vec<u8>>,
    },
    Stats,
    Kill,
    Help,
}

impl<'a> Command<'a> for Function {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        // The subcommand and its arity were checked before (`cmd::check`).
        let sub = args
            .get(1)
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        match sub.as_slice() {
            b"list" => parse_list(args.get(2..).unwrap_or_default()),
            b"stats" => Ok(Function::Stats),
            b"kill" => Ok(Function::Kill),
            b"help" => Ok(Function::Help),
            _ => Err(Reply::error(format!(
                "ERR the playground has one function library, built in: FUNCTION {} \
                 is not available (FUNCTION LIST WITHCODE shows the library)",
                String::from_utf8_lossy(&sub).to_ascii_uppercase()
            ))),
        }
    }

    fn apply(self, _ctx: &mut Ctx) -> Reply {
        match self {
            Function::Help => Reply::help(HELP),
            // Functions run to completion inside one command here.
            Function::Kill => Reply::error("NOTBUSY No scripts in execution right now."),
            Function::Stats => Reply::Array(vec![
                Reply::bulk("running_script"),
                Reply::Nil,
                Reply::bulk("engines"),
                Reply::Array(vec![
                    Reply::bulk("LUA"),
                    Reply::Array(vec![
                        Reply::bulk("libraries_count"),
                        Reply::Integer(1),
                        Reply::bulk("functions_count"),
                        Reply::Integer(FUNCTIONS.len() as i64),
                    ]),
                ]),
            ]),
            Function::List { with_code, pattern } => {
                let listed = pattern
                    .as_ref()
                    .is_none_or(|p| string_match(&p.to_ascii_lowercase(), LIBRARY_NAME.as_bytes()));
                if !listed {
                    return Reply::Array(Vec::new());
                }
                let functions = FUNCTIONS
                    .iter()
                    .map(|(name, _)| {
                        Reply::Array(vec![
                            Reply::bulk("name"),
                            Reply::bulk(*name),
                            Reply::bulk("description"),
                            Reply::Nil,
                            Reply::bulk("flags"),
                            Reply::Array(Vec::new()),
                        ])
                    })
                    .collect();
                let mut library = vec![
                    Reply::bulk("library_name"),
                    Reply::bulk(LIBRARY_NAME),
                    Reply::bulk("engine"),
                    Reply::bulk("LUA"),
                    Reply::bulk("functions"),
                    Reply::Array(functions),
                ];
                if with_code {
                    library.push(Reply::bulk("library_code"));
                    library.push(Reply::bulk(LIBRARY_SOURCE));
                }
                Reply::Array(vec![Reply::Array(library)])
            }
        }
    }
}

/// Redis 7.0's `functionListCommand` options: WITHCODE and LIBRARYNAME,
/// each at most once (a second one is an unknown argument).
fn parse_list(options: &[Vec<u8>]) -> Result<Function, Reply> {
    let mut with_code = false;
    let mut pattern = None;
    let mut rest = options.iter();
    while let Some(opt) = rest.next() {
        if !with_code && opt.eq_ignore_ascii_case(b"withcode") {
            with_code = true;
        } else if pattern.is_none() && opt.eq_ignore_ascii_case(b"libraryname") {
            let Some(p) = rest.next() else {
                return Err(Reply::error("ERR library name argument was not given"));
            };
            pattern = Some(p.clone());
        } else {
            return Err(Reply::error(format!(
                "ERR Unknown argument {}",
                String::from_utf8_lossy(opt)
            )));
        }
    }
    Ok(Function::List { with_code, pattern })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_name_is_the_lua_files() {
        let first = LIBRARY_SOURCE.lines().next().unwrap_or_default();
        assert_eq!(first, format!("#!lua name={LIBRARY_NAME}"));
    }

    #[test]
    fn changing_the_library_is_refused_with_a_reason() {
        for sub in ["LOAD", "delete", "FLUSH", "RESTORE", "DUMP"] {
            let args = vec![b"FUNCTION".to_vec(), sub.as_bytes().to_vec(), b"x".to_vec()];
            let Err(Reply::Error(e)) = Function::parse(&args) else {
                panic!("FUNCTION {sub} was accepted");
            };
            assert!(e.contains("one function library, built in"), "{e}");
            assert!(e.contains(&sub.to_ascii_uppercase()), "{e}");
        }
    }
}
