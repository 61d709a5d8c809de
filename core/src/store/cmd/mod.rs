//! Commands as types, one file each (the mini-redis shape): `parse` turns the
//! arguments into the type or an error reply, `apply` runs it on the keyspace.
//! [`Command::parse`] dispatches by name; the name and arity checks happen
//! before anything runs, exactly where Redis rejects a command.

mod del;
mod exists;
mod get;
mod incr;
mod ping;
mod set;
mod ttl;

pub use del::Del;
pub use exists::Exists;
pub use get::Get;
pub use incr::IncrBy;
pub use ping::Ping;
pub use set::{Expiry, Set, SetCondition};
pub use ttl::Ttl;

use super::keyspace::Keyspace;
use super::reply::Reply;
use crate::time::Millis;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Get(Get),
    Set(Set),
    Del(Del),
    IncrBy(IncrBy),
    Ttl(Ttl),
    Exists(Exists),
    Ping(Ping),
}

/// A command's name and its Redis arity: positive means exactly that many
/// arguments (name included), negative means at least that many.
struct Spec {
    name: &'static str,
    arity: i32,
    parse: fn(&[Vec<u8>]) -> Result<Command, Reply>,
}

const SPECS: &[Spec] = &[
    Spec {
        name: "get",
        arity: 2,
        parse: |a| Get::parse(a).map(Command::Get),
    },
    Spec {
        name: "set",
        arity: -3,
        parse: |a| Set::parse(a).map(Command::Set),
    },
    Spec {
        name: "del",
        arity: -2,
        parse: |a| Del::parse(a).map(Command::Del),
    },
    Spec {
        name: "incr",
        arity: 2,
        parse: |a| IncrBy::parse_incr(a, 1).map(Command::IncrBy),
    },
    Spec {
        name: "decr",
        arity: 2,
        parse: |a| IncrBy::parse_incr(a, -1).map(Command::IncrBy),
    },
    Spec {
        name: "incrby",
        arity: 3,
        parse: |a| IncrBy::parse_incrby(a).map(Command::IncrBy),
    },
    Spec {
        name: "decrby",
        arity: 3,
        parse: |a| IncrBy::parse_decrby(a).map(Command::IncrBy),
    },
    Spec {
        name: "ttl",
        arity: 2,
        parse: |a| Ttl::parse(a, false).map(Command::Ttl),
    },
    Spec {
        name: "pttl",
        arity: 2,
        parse: |a| Ttl::parse(a, true).map(Command::Ttl),
    },
    Spec {
        name: "exists",
        arity: -2,
        parse: |a| Exists::parse(a).map(Command::Exists),
    },
    Spec {
        name: "ping",
        arity: -1,
        parse: |a| Ping::parse(a).map(Command::Ping),
    },
];

/// The outcome of the checks Redis makes before a command runs.
pub enum Checked<'a> {
    /// Known name, acceptable arity: it will run (and shows in MONITOR).
    Runs(&'a [Vec<u8>], fn(&[Vec<u8>]) -> Result<Command, Reply>),
    /// Rejected before running: unknown name or wrong arity.
    Rejected(Reply),
}

/// Name lookup and arity check.
pub fn check(args: &[Vec<u8>]) -> Checked<'_> {
    let Some(name) = args.first() else {
        return Checked::Rejected(Reply::error("ERR empty command"));
    };
    let lower = name.to_ascii_lowercase();
    let Some(spec) = SPECS.iter().find(|s| s.name.as_bytes() == lower.as_slice()) else {
        return Checked::Rejected(unknown_command(args));
    };
    let argc = args.len() as i64;
    let arity = i64::from(spec.arity);
    if (arity > 0 && argc != arity) || argc < -arity {
        return Checked::Rejected(wrong_arity(spec.name));
    }
    Checked::Runs(args, spec.parse)
}

impl Command {
    /// Checks and parses in one go (for callers that do not keep a MONITOR feed).
    pub fn parse(args: &[Vec<u8>]) -> Result<Command, Reply> {
        match check(args) {
            Checked::Runs(args, parse) => parse(args),
            Checked::Rejected(reply) => Err(reply),
        }
    }

    pub fn apply(self, ks: &mut Keyspace, now: Millis) -> Reply {
        match self {
            Command::Get(c) => c.apply(ks, now),
            Command::Set(c) => c.apply(ks, now),
            Command::Del(c) => c.apply(ks, now),
            Command::IncrBy(c) => c.apply(ks, now),
            Command::Ttl(c) => c.apply(ks, now),
            Command::Exists(c) => c.apply(ks, now),
            Command::Ping(c) => c.apply(),
        }
    }
}

/// Redis's text, byte for byte: the name and the arguments are each cut at
/// 128 bytes (C strings, so also at a NUL), each argument is quoted and
/// followed by a space, and newlines become spaces so the reply stays one line.
pub fn unknown_command(args: &[Vec<u8>]) -> Reply {
    fn c_str(b: &[u8], max: usize) -> &[u8] {
        let b = &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())];
        &b[..b.len().min(max)]
    }
    let name = args.first().map(|n| c_str(n, 128)).unwrap_or_default();
    let mut listed: Vec<u8> = Vec::new();
    for arg in args.iter().skip(1) {
        if listed.len() >= 128 {
            break;
        }
        let room = 128 - listed.len();
        listed.push(b'\'');
        listed.extend_from_slice(c_str(arg, room));
        listed.extend_from_slice(b"' ");
    }
    let mut text = b"ERR unknown command '".to_vec();
    text.extend_from_slice(name);
    text.extend_from_slice(b"', with args beginning with: ");
    text.extend_from_slice(&listed);
    let text: Vec<u8> = text
        .into_iter()
        .map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect();
    Reply::Error(String::from_utf8_lossy(&text).into_owned())
}

pub fn wrong_arity(name: &str) -> Reply {
    Reply::error(format!(
        "ERR wrong number of arguments for '{name}' command"
    ))
}

pub fn not_an_integer() -> Reply {
    Reply::error("ERR value is not an integer or out of range")
}

pub fn syntax_error() -> Reply {
    Reply::error("ERR syntax error")
}

pub fn wrong_type() -> Reply {
    Reply::error("WRONGTYPE Operation against a key holding the wrong kind of value")
}

/// Argument `i`, which the arity check has already guaranteed exists.
fn arg(args: &[Vec<u8>], i: usize) -> Vec<u8> {
    args.get(i).cloned().unwrap_or_default()
}
