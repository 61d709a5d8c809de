//! Commands as types (the mini-redis shape): each command is a type in its
//! own file with `parse` (arguments → the type, or Redis's error reply) and
//! `apply` (runs it on the store through a [`Ctx`]).
//!
//! Commands are grouped by Redis type, one folder each; every group lists
//! its commands in a `SPECS` table with Redis's arity, flags and key
//! positions. [`check`] does what Redis does before a command runs: name
//! lookup and arity, nothing else, so that a command with bad options still
//! shows in MONITOR and is queued by MULTI, exactly like in Redis.

pub mod docs;
pub mod hash;
pub mod keys;
pub mod list;
pub mod mpop;
pub mod pubsub;
pub mod random_count;
pub mod server;
pub mod set;
pub mod string;
pub mod zset;

use super::config::Config;
use super::keyspace::Keyspace;
use super::monitor::{Monitor, Origin};
use super::reply::Reply;
use super::ServerState;
use crate::time::Millis;

/// What a command can reach while it runs.
pub struct Ctx<'a> {
    pub ks: &'a mut Keyspace,
    /// The virtual time the command runs at (fixed for its whole run).
    pub now: Millis,
    pub config: &'a mut Config,
    pub server: &'a mut ServerState,
    /// Where the commands a function runs are logged, under `origin`.
    pub monitor: &'a mut Monitor,
    /// Who sent the command.
    pub origin: Origin,
}

/// A command that parses its arguments into a value, then runs. `'a`: the
/// arguments' lifetime, so that a command may borrow what it only reads
/// (GET's key) instead of copying it on every call.
pub trait Command<'a>: Sized {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply>;
    fn apply(self, ctx: &mut Ctx) -> Reply;
}

/// The usual `run` of a [`Spec`]: parse, then apply, or the parse error.
pub fn run<'a, C: Command<'a>>(ctx: &mut Ctx, args: &'a [Vec<u8>]) -> Reply {
    match C::parse(args) {
        Ok(c) => c.apply(ctx),
        Err(e) => e,
    }
}

/// Flags as in Redis's command table, the ones the store acts on.
pub mod flags {
    /// Changes data.
    pub const WRITE: u8 = 1;
    /// May grow memory: refused with OOM when over `maxmemory` under noeviction.
    pub const DENYOOM: u8 = 2;
    /// Not allowed inside MULTI (MULTI itself, WATCH, …) or handled by the
    /// transaction machinery (EXEC, DISCARD).
    pub const NO_MULTI: u8 = 4;
}

/// A command's entry in the table. `arity` as in Redis: positive means
/// exactly that many arguments (name included), negative at least that many.
/// `keys` is Redis's (first, last, step) of key positions: last −1 means the
/// last argument; (0, 0, 0) means no keys. The store refreshes the memory
/// estimate of every key argument after a command ran.
pub struct Spec {
    pub name: &'static str,
    pub arity: i32,
    pub flags: u8,
    pub keys: (i32, i32, i32),
    pub run: fn(&mut Ctx, &[Vec<u8>]) -> Reply,
}

impl Spec {
    pub fn is_write(&self) -> bool {
        self.flags & flags::WRITE != 0
    }

    /// The key arguments of a call, per `keys`.
    pub fn key_args<'a>(&self, args: &'a [Vec<u8>]) -> impl Iterator<Item = &'a [u8]> + 'a {
        let (first, last, step) = self.keys;
        let n = args.len() as i64;
        let last = if last < 0 {
            n + i64::from(last)
        } else {
            i64::from(last)
        };
        let step = i64::from(step).max(1);
        let first = if first <= 0 { n } else { i64::from(first) };
        (first..=last.min(n - 1))
            .step_by(step as usize)
            .filter_map(move |i| args.get(i as usize).map(Vec::as_slice))
    }
}

/// Every group's table. A name must appear once in all of them.
pub const GROUPS: &[&[Spec]] = &[
    string::SPECS,
    keys::SPECS,
    hash::SPECS,
    list::SPECS,
    set::SPECS,
    zset::SPECS,
    server::SPECS,
    pubsub::SPECS,
    super::functions::SPECS,
];

/// Redis 7.0's commands that this store does not have, lowercase and
/// separated by spaces: the 240 of a real server's `COMMAND COUNT` less the
/// store's own (checked against redis-server by the differential tests).
/// Their `unknown command` reply stays Redis's, word for word; the console
/// adds a note that the command is real Redis, only not simulated here, so
/// a reader does not take it for a typo.
pub const REDIS_ONLY: &str = "\
    acl asking auth bgrewriteaof bgsave bitfield bitfield_ro client cluster dump eval \
    eval_ro evalsha evalsha_ro failover geoadd geodist geohash geopos georadius georadius_ro \
    georadiusbymember georadiusbymember_ro geosearch geosearchstore hello lastsave latency \
    lcs lolwut memory migrate module monitor move pfadd pfcount pfdebug pfmerge pfselftest \
    psync quit readonly readwrite replconf replicaof reset restore restore-asking role save \
    script shutdown slaveof slowlog sort sort_ro spublish ssubscribe sunsubscribe swapdb \
    sync wait xack xadd xautoclaim xclaim xdel xgroup xinfo xlen xpending xrange xread \
    xreadgroup xrevrange xsetid xtrim";

/// Whether `name` (any letter case) is one of [`REDIS_ONLY`].
pub fn is_redis_only(name: &str) -> bool {
    REDIS_ONLY
        .split_whitespace()
        .any(|n| n.eq_ignore_ascii_case(name))
}

/// Slots in the name table: a power of two well above the command count,
/// so probes are short.
const NAME_TABLE_SLOTS: usize = 512;

/// A name as lowercase words of 8 bytes (the last padded with zeros) and
/// its length: most names are one word, so a lookup hashes and compares
/// one or two integers instead of looping over bytes, a few percent of a
/// GET. Equal words and lengths mean equal names, in any letter case.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Folded {
    words: [u64; 2],
    len: usize,
}

/// Names of up to this many bytes are folded; no command's is longer.
const FOLDED_MAX: usize = 16;

fn fold(name: &[u8]) -> Option<Folded> {
    if name.len() > FOLDED_MAX {
        return None;
    }
    let mut words = [0u64; 2];
    for (word, chunk) in words.iter_mut().zip(name.chunks(8)) {
        *word = lowercase_word(super::fast_hash::le_word(chunk));
    }
    Some(Folded {
        words,
        len: name.len(),
    })
}

/// `to_ascii_lowercase` on eight bytes at once: 0x20 is added to the bytes
/// from `A` to `Z`, every other byte is kept.
fn lowercase_word(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Per byte, with its top bit cleared so the sums cannot carry over:
    // the top bit of `b + (0x80 - b'A')` says b >= 'A', of
    // `b + (0x7f - b'Z')` that b > 'Z'.
    let low = w & !HIGH;
    let ge_a = low + ONES * u64::from(0x80 - b'A');
    let gt_z = low + ONES * u64::from(0x7f - b'Z');
    let upper = (ge_a ^ gt_z) & !w & HIGH;
    w | (upper >> 2)
}

fn name_hash(name: &Folded) -> usize {
    let [a, b] = name.words;
    let h = (a ^ b.rotate_left(29) ^ name.len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    // The top bits are the best mixed; masked, the probe arithmetic below
    // cannot overflow.
    (h >> 40) as usize % NAME_TABLE_SLOTS
}

/// Open-addressed table of every command, built once on first use: a
/// lookup hashes the name once and compares one or two entries, where a
/// scan of the groups compared up to every name (a few percent of a GET).
type NameTable = [Option<(Folded, &'static Spec)>; NAME_TABLE_SLOTS];

fn name_table() -> &'static NameTable {
    static TABLE: std::sync::OnceLock<NameTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [None; NAME_TABLE_SLOTS];
        for spec in GROUPS.iter().flat_map(|g| g.iter()) {
            // Every name is short (a test checks it): none is left out.
            let Some(folded) = fold(spec.name.as_bytes()) else {
                continue;
            };
            let start = name_hash(&folded);
            // Linear probing; the table has more slots than commands, so a
            // free one is always found within NAME_TABLE_SLOTS steps.
            for i in start..start + NAME_TABLE_SLOTS {
                let Some(slot) = table.get_mut(i % NAME_TABLE_SLOTS) else {
                    break;
                };
                if slot.is_none() {
                    *slot = Some((folded, spec));
                    break;
                }
            }
        }
        table
    })
}

/// The command called `name`, in any letter case. No allocation: names
/// are compared folded (see [`Folded`]).
pub fn find(name: &[u8]) -> Option<&'static Spec> {
    let name = fold(name)?;
    let table = name_table();
    let start = name_hash(&name);
    for i in start..start + NAME_TABLE_SLOTS {
        let (folded, spec) = table.get(i % NAME_TABLE_SLOTS).copied().flatten()?;
        if folded == name {
            return Some(spec);
        }
    }
    None
}

/// The outcome of the checks Redis makes before a command runs.
pub enum Checked {
    /// Known name, acceptable arity: it will run (and shows in MONITOR).
    Runs(&'static Spec),
    /// Rejected before running: unknown name or wrong arity.
    Rejected(Reply),
}

/// Name lookup and arity check.
pub fn check(args: &[Vec<u8>]) -> Checked {
    let Some(name) = args.first() else {
        return Checked::Rejected(Reply::error("ERR empty command"));
    };
    let Some(spec) = find(name) else {
        return Checked::Rejected(unknown_command(args));
    };
    let argc = args.len() as i64;
    // A container command with an argument is looked up by its subcommand,
    // whose own arity applies: so `OBJECT FOO` and `OBJECT ENCODING` without
    // a key are refused before running, and inside MULTI they abort the
    // transaction instead of being queued, as in Redis.
    if let (Some(subs), Some(sub)) = (subcommands(spec.name), args.get(1)) {
        let Some((sub_name, sub_arity)) = subs
            .iter()
            .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(sub))
        else {
            return Checked::Rejected(unknown_subcommand(name, sub));
        };
        let arity = i64::from(*sub_arity);
        if (arity > 0 && argc != arity) || argc < -arity {
            return Checked::Rejected(wrong_arity(&format!("{}|{sub_name}", spec.name)));
        }
        return Checked::Runs(spec);
    }
    let arity = i64::from(spec.arity);
    if (arity > 0 && argc != arity) || argc < -arity {
        return Checked::Rejected(wrong_arity(spec.name));
    }
    Checked::Runs(spec)
}

/// Redis 7.0's subcommand table for the container commands the playground
/// has (name, arity as in `Spec`), every subcommand Redis knows, including
/// ones the playground's command then answers with its own error.
pub fn subcommands(container: &str) -> Option<&'static [(&'static str, i32)]> {
    match container {
        "object" => Some(&[
            ("encoding", 3),
            ("freq", 3),
            ("help", 2),
            ("idletime", 3),
            ("refcount", 3),
        ]),
        "config" => Some(&[
            ("get", -3),
            ("help", 2),
            ("resetstat", 2),
            ("rewrite", 2),
            ("set", -4),
        ]),
        "function" => Some(&[
            ("delete", 3),
            ("dump", 2),
            ("flush", -2),
            ("help", 2),
            ("kill", 2),
            ("list", -2),
            ("load", -3),
            ("restore", -3),
            ("stats", 2),
        ]),
        "pubsub" => Some(&[
            ("channels", -2),
            ("help", 2),
            ("numpat", 2),
            ("numsub", -2),
            ("shardchannels", -2),
            ("shardnumsub", -2),
        ]),
        "command" => Some(&[
            ("count", 2),
            ("docs", -2),
            ("getkeys", -3),
            ("getkeysandflags", -3),
            ("help", 2),
            ("info", -2),
            ("list", -2),
        ]),
        _ => None,
    }
}

/// `ERR unknown subcommand 'FOO'. Try OBJECT HELP.`: the subcommand as
/// typed (cut at 128 bytes or a NUL, like Redis's `%.128s`), the command
/// as typed but upper-cased; line breaks become spaces, as Redis's
/// `rejectCommandFormat` makes them, so the reply stays one line.
pub fn unknown_subcommand(command: &[u8], sub: &[u8]) -> Reply {
    let end = sub
        .iter()
        .position(|&c| c == 0)
        .unwrap_or(sub.len())
        .min(128);
    let text = format!(
        "ERR unknown subcommand '{}'. Try {} HELP.",
        String::from_utf8_lossy(sub.get(..end).unwrap_or_default()),
        String::from_utf8_lossy(command).to_ascii_uppercase()
    );
    Reply::error(text.replace(['\r', '\n'], " "))
}

/// Redis's text, byte for byte: the name and the arguments are each cut at
/// 128 bytes (C strings, so also at a NUL), each argument is quoted and
/// followed by a space, and newlines become spaces so the reply stays one line.
pub fn unknown_command(args: &[Vec<u8>]) -> Reply {
    fn c_str(b: &[u8], max: usize) -> &[u8] {
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len()).min(max);
        b.get(..end).unwrap_or_default()
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
pub fn arg(args: &[Vec<u8>], i: usize) -> Vec<u8> {
    args.get(i).cloned().unwrap_or_default()
}

/// Argument `i` borrowed (empty when absent), for a command that only
/// reads it: no copy on the hot path of GET, SET and INCR.
pub fn arg_ref(args: &[Vec<u8>], i: usize) -> &[u8] {
    args.get(i).map(Vec::as_slice).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_found_in_any_case_and_unknown_names_are_not() {
        let mut n = 0;
        for spec in GROUPS.iter().flat_map(|g| g.iter()) {
            n += 1;
            let upper = spec.name.to_ascii_uppercase();
            // Names are unique, so the name identifies the entry.
            assert_eq!(find(spec.name.as_bytes()).map(|s| s.name), Some(spec.name));
            assert_eq!(find(upper.as_bytes()).map(|s| s.name), Some(spec.name));
        }
        assert!(n < NAME_TABLE_SLOTS / 2, "{n} commands: grow the table");
        for unknown in [&b""[..], b"gett", b"ge", b"\xff", b"set\0"] {
            assert!(find(unknown).is_none());
        }
    }

    #[test]
    fn every_name_is_short_enough_to_fold() {
        for spec in GROUPS.iter().flat_map(|g| g.iter()) {
            assert!(fold(spec.name.as_bytes()).is_some(), "{}", spec.name);
        }
    }

    #[test]
    fn a_word_is_lowercased_byte_by_byte_as_ascii_says() {
        // Every byte value, in every position, beside neighbours that
        // could carry into it if the arithmetic were wrong.
        for b in 0..=255u8 {
            for at in 0..8 {
                for around in [0u8, b'Z', b'A', 0xff, 0x7f, b'@', b'['] {
                    let mut bytes = [around; 8];
                    if let Some(x) = bytes.get_mut(at) {
                        *x = b;
                    }
                    let expected = bytes.map(|c| c.to_ascii_lowercase());
                    assert_eq!(
                        lowercase_word(u64::from_le_bytes(bytes)).to_le_bytes(),
                        expected,
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_name_matches_only_its_own_letters_in_another_case() {
        // Bytes that fold onto a letter or onto `_` only under a careless
        // case fold (`x | 0x20`): `\x7f` for `_`, `\x01` for `!`, ...
        for name in [
            &b"FCALL_RO"[..],
            b"fcall\x7fro",
            b"FcAlL_Ro",
            b"GET",
            b"g\xc5t",
            b"G\x05T",
        ] {
            let expected = GROUPS
                .iter()
                .flat_map(|g| g.iter())
                .find(|s| s.name.as_bytes().eq_ignore_ascii_case(name))
                .map(|s| s.name);
            assert_eq!(find(name).map(|s| s.name), expected, "{name:?}");
        }
    }
}
