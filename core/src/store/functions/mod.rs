//! Server-side functions: `FCALL name numkeys key… arg…`, as Redis 7 runs
//! a function library loaded with `FUNCTION LOAD`.
//!
//! Why: a rate limiter or a lock release that reads, decides, then writes
//! in several round trips can be interleaved with another client doing the
//! same (two requests both read "9 of 10", both pass). Redis's answer is a
//! script that runs all of it as one command; the playground ships one
//! library, `playground.lua`, and this module is its twin in Rust.
//!
//! The twin mirrors the Lua line by line: the same commands in the same
//! order (through the same command table the console uses), the same
//! argument checks and error texts, and the same arithmetic (Lua numbers
//! are `f64`; so are these, operation for operation, and numbers become
//! text the way Lua's `%.14g` does). The differential test loads the Lua
//! file into a real `redis-server` and runs the corpus's FCALL scripts on
//! both.

mod function_cmd;
mod lua;
mod playground;

pub use function_cmd::LIBRARY_NAME;

use super::cmd::flags::{DENYOOM, WRITE};
use super::cmd::{self, run, Checked, Command, Ctx, Spec};
use super::int::parse_i64;
use super::reply::Reply;

/// The library's Lua source, for a real server (`FUNCTION LOAD`) and for
/// the playground to show.
pub const LIBRARY_SOURCE: &str = include_str!("playground.lua");

/// A function of the library: KEYS and ARGV in, one reply out.
pub type Function = fn(&mut Ctx, &[Vec<u8>], &[Vec<u8>]) -> Reply;

/// The library, by name (Redis matches function names in any case).
pub const FUNCTIONS: &[(&str, Function)] = &[
    ("pg_release_lock", playground::release_lock),
    ("pg_fixed_window", playground::fixed_window),
    ("pg_sliding_counter", playground::sliding_counter),
    ("pg_sliding_log", playground::sliding_log),
    ("pg_token_bucket", playground::token_bucket),
    ("pg_gcra", playground::gcra),
    ("pg_acquire_fenced", playground::acquire_fenced),
    ("pg_fenced_write", playground::fenced_write),
];

pub fn find(name: &[u8]) -> Option<Function> {
    FUNCTIONS
        .iter()
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name))
        .map(|(_, f)| *f)
}

/// `FCALL` (and `FCALL_RO`: every function here writes, so it refuses
/// them all, after the same checks Redis makes first).
#[derive(Debug)]
pub struct Fcall {
    function: Function,
    read_only: bool,
    keys: Vec<Vec<u8>>,
    args: Vec<Vec<u8>>,
}

impl Fcall {
    fn parse_as(args: &[Vec<u8>], read_only: bool) -> Result<Self, Reply> {
        // Redis looks the function up first, then reads numkeys.
        let name = args.get(1).map(Vec::as_slice).unwrap_or_default();
        let function = find(name).ok_or_else(|| Reply::error("ERR Function not found"))?;
        let numkeys = args
            .get(2)
            .and_then(|n| parse_i64(n))
            .ok_or_else(|| Reply::error("ERR Bad number of keys provided"))?;
        let rest = args.get(3..).unwrap_or_default();
        if numkeys > rest.len() as i64 {
            return Err(Reply::error(
                "ERR Number of keys can't be greater than number of args",
            ));
        }
        if numkeys < 0 {
            return Err(Reply::error("ERR Number of keys can't be negative"));
        }
        let (keys, argv) = rest.split_at(numkeys as usize);
        Ok(Fcall {
            function,
            read_only,
            keys: keys.to_vec(),
            args: argv.to_vec(),
        })
    }
}

impl<'a> Command<'a> for Fcall {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let read_only = args
            .first()
            .is_some_and(|n| n.eq_ignore_ascii_case(b"fcall_ro"));
        Fcall::parse_as(args, read_only)
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        if self.read_only {
            return Reply::error(
                "ERR Can not execute a script with write flag using *_ro command.",
            );
        }
        (self.function)(ctx, &self.keys, &self.args)
    }
}

/// `redis.call` from inside a function: the command table's checks and
/// `run`, then the memory estimate of the keys it wrote, as the store does
/// for a command from a client.
pub(crate) fn call(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let spec = match cmd::check(args) {
        Checked::Runs(spec) => spec,
        Checked::Rejected(reply) => return reply,
    };
    // What passed the script's own checks runs, so MONITOR shows it, as
    // Redis's `[0 lua]` lines, after the FCALL line as redis-server 7.0 logs them.
    ctx.monitor.record_script(ctx.now, ctx.origin, args);
    let reply = (spec.run)(ctx, args);
    ctx.server.commands_processed += 1;
    ctx.server.stats.called(spec, args, &reply);
    if spec.is_write() {
        for key in spec.key_args(args) {
            ctx.ks.refresh_size(key, ctx.now);
        }
    }
    reply
}

/// Functions write (none is declared `no-writes`), so FCALL is refused
/// with OOM like a write command. Its keys follow numkeys, which a
/// (first, last, step) triple cannot say: each function refreshes the
/// memory estimate of what it wrote itself, through [`call`].
pub const SPECS: &[Spec] = &[
    Spec {
        name: "fcall",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (0, 0, 0),
        run: |c, a| run::<Fcall>(c, a),
    },
    Spec {
        name: "fcall_ro",
        arity: -3,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<Fcall>(c, a),
    },
    Spec {
        name: "function",
        arity: -2,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<function_cmd::Function>(c, a),
    },
];
