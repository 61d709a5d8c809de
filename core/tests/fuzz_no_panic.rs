//! Fuzz-style robustness test: nothing a user can type may panic the store
//! (a panic kills the web page), and every reply must render.
//!
//! Two properties, each run for `FUZZ_CASES` cases (default 800, a few seconds
//! in debug for both together). One case is a fresh store, first filled with keys
//! of every type, then a sequence of commands on it with the virtual clock
//! moving forward between them (and by whatever `DEBUG SLEEP` asked, capped),
//! so commands meet existing, expired and wrongly-typed keys:
//!
//! 1. arbitrary command lines (quotes, backslashes, `\x` escapes, unicode,
//!    known words) through `Store::execute_line`, and as topics of the
//!    console's `help`;
//! 2. arbitrary argument vectors through `Store::execute`, the name drawn from
//!    every Redis command the playground is meant to support (in random case),
//!    the arguments from keys, options, edge-case numbers and random bytes.
//!
//! Every reply must render with `to_cli()`, and an error or status line must
//! not contain CR/LF (it could not travel as RESP).
//!
//! The ≥ 1,000,000-input run (each case runs several commands, so this is
//! well over a million inputs per property):
//!
//! ```text
//! FUZZ_CASES=1000000 cargo test --release -p playground-core --test fuzz_no_panic
//! ```
//!
//! Commands not implemented yet simply answer "unknown command"; as they
//! land they are fuzzed automatically.

use playground_core::store::{Origin, Reply, Store};
use proptest::prelude::*;

/// Every command name the playground is meant to support.
const COMMANDS: &[&str] = &[
    "GET",
    "SET",
    "SETNX",
    "SETEX",
    "PSETEX",
    "GETDEL",
    "GETEX",
    "GETSET",
    "MGET",
    "MSET",
    "MSETNX",
    "APPEND",
    "STRLEN",
    "INCR",
    "INCRBY",
    "DECR",
    "DECRBY",
    "INCRBYFLOAT",
    "DEL",
    "UNLINK",
    "EXISTS",
    "TYPE",
    "KEYS",
    "SCAN",
    "RENAME",
    "RANDOMKEY",
    "DBSIZE",
    "FLUSHDB",
    "FLUSHALL",
    "EXPIRE",
    "PEXPIRE",
    "EXPIREAT",
    "PEXPIREAT",
    "TTL",
    "PTTL",
    "EXPIRETIME",
    "PEXPIRETIME",
    "PERSIST",
    "OBJECT",
    "HSET",
    "HGET",
    "HMGET",
    "HGETALL",
    "HDEL",
    "HEXISTS",
    "HINCRBY",
    "HLEN",
    "ZADD",
    "ZREM",
    "ZCARD",
    "ZRANGE",
    "ZRANGEBYSCORE",
    "ZREMRANGEBYSCORE",
    "ZCOUNT",
    "ZSCORE",
    "LPUSH",
    "RPUSH",
    "LPOP",
    "RPOP",
    "LLEN",
    "LRANGE",
    "SADD",
    "SREM",
    "SMEMBERS",
    "SISMEMBER",
    "SMISMEMBER",
    "SCARD",
    "SINTER",
    "SUNION",
    "SDIFF",
    "SINTERSTORE",
    "SUNIONSTORE",
    "SDIFFSTORE",
    "SINTERCARD",
    "SMOVE",
    "SSCAN",
    "ZUNION",
    "ZINTERSTORE",
    "ZDIFF",
    "ZINTERCARD",
    "GETRANGE",
    "SETRANGE",
    "SUBSTR",
    "LMOVE",
    "RPOPLPUSH",
    "BLPOP",
    "BRPOP",
    "BLMOVE",
    "BRPOPLPUSH",
    "BZPOPMIN",
    "BZPOPMAX",
    "ZRANGESTORE",
    "HRANDFIELD",
    "ZRANDMEMBER",
    "LMPOP",
    "BLMPOP",
    "ZMPOP",
    "BZMPOP",
    "ZREMRANGEBYLEX",
    "SETBIT",
    "GETBIT",
    "BITCOUNT",
    "BITPOS",
    "BITOP",
    "SUBSCRIBE",
    "PSUBSCRIBE",
    "UNSUBSCRIBE",
    "PUNSUBSCRIBE",
    "PUBLISH",
    "PUBSUB",
    "SELECT",
    "LPOS",
    "TIME",
    "COPY",
    "TOUCH",
    "HSCAN",
    "ZSCAN",
    "SPOP",
    "SRANDMEMBER",
    "MULTI",
    "EXEC",
    "DISCARD",
    "PING",
    "ECHO",
    "INFO",
    "CONFIG",
    "DEBUG",
    "COMMAND",
];

/// Options and sub-commands of those commands.
const OPTIONS: &[&str] = &[
    "EX",
    "PX",
    "EXAT",
    "PXAT",
    "NX",
    "XX",
    "GT",
    "LT",
    "GET",
    "KEEPTTL",
    "PERSIST",
    "CH",
    "INCR",
    "BYSCORE",
    "BYLEX",
    "REV",
    "LIMIT",
    "WITHSCORES",
    "MATCH",
    "COUNT",
    "TYPE",
    "SET",
    "RESETSTAT",
    "SLEEP",
    "SET-ACTIVE-EXPIRE",
    "OBJECT",
    "ENCODING",
    "IDLETIME",
    "FREQ",
    "REFCOUNT",
    "HELP",
    "DOCS",
    "INFO",
    "maxmemory",
    "maxmemory-policy",
    "maxmemory-samples",
    "hz",
    "active-expire-effort",
    "allkeys-lru",
    "volatile-ttl",
    "noeviction",
    "keyspace",
    "memory",
    "stats",
    "all",
    "*",
    "k*",
    "[a-",
    "\\",
    "string",
    "hash",
];

/// Numbers at the edges of every parser.
const NUMBERS: &[&str] = &[
    "-1",
    "0",
    "1",
    "2",
    "3",
    "10",
    "100",
    "1000",
    "-100",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "18446744073709551616",
    "1e308",
    "-1e308",
    "1e309",
    "inf",
    "-inf",
    "+inf",
    "nan",
    "(1",
    "(-inf",
    "(+inf",
    "[a",
    "(",
    "0.1",
    "1.5",
    "-0",
    "007",
    "0x10",
    " 1",
    "1 ",
    "",
    "0.0000000000000000000001",
    "17976931348623157e292",
];

/// Key names shared by all types, so that commands meet each other's keys.
const KEYS: &[&str] = &["s", "n", "h", "z", "l", "x", "missing", "tmp"];

/// Run first in every case: one key of each type (commands that do not exist
/// yet just fail), some with a TTL.
const PRELUDE: &[&[&str]] = &[
    &["SET", "s", "hello"],
    &["SET", "n", "10", "PX", "1500"],
    &["HSET", "h", "f", "1", "g", "two"],
    &["ZADD", "z", "1", "a", "2.5", "b", "-inf", "c"],
    &["RPUSH", "l", "a", "b", "c"],
    &["PEXPIRE", "l", "2500"],
    &["SADD", "tmp", "1", "2", "word"],
    &["SET", "x", "9223372036854775806", "EX", "3"],
];

/// The clock never jumps by more than this on a `DEBUG SLEEP`.
const MAX_SLEEP_MS: u64 = 60_000;

fn fuzz_cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(800)
}

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(list).prop_map(String::from)
}

/// The same word in random letter case.
fn any_case(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    (prop::sample::select(list), any::<u64>()).prop_map(|(w, bits)| {
        w.chars()
            .enumerate()
            .map(|(i, c)| {
                if bits >> (i % 64) & 1 == 1 {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect()
    })
}

fn arg_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => pick(KEYS).prop_map(String::into_bytes),
        4 => any_case(OPTIONS).prop_map(String::into_bytes),
        4 => pick(NUMBERS).prop_map(String::into_bytes),
        1 => any_case(COMMANDS).prop_map(String::into_bytes),
        2 => prop::collection::vec(any::<u8>(), 0..12),
        1 => any::<i64>().prop_map(|n| n.to_string().into_bytes()),
        1 => any::<f64>().prop_map(|f| f.to_string().into_bytes()),
        1 => "\\PC{0,6}".prop_map(String::into_bytes),
    ]
}

fn argv() -> impl Strategy<Value = Vec<Vec<u8>>> {
    (
        prop_oneof![
            20 => any_case(COMMANDS).prop_map(String::into_bytes),
            1 => prop::collection::vec(any::<u8>(), 0..8),
        ],
        prop::collection::vec(arg_bytes(), 0..8),
    )
        .prop_map(|(name, rest)| {
            let mut a = vec![name];
            a.extend(rest);
            a
        })
}

/// A piece of a typed line: words, quoting and escaping of every kind.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any_case(COMMANDS),
        3 => pick(OPTIONS),
        3 => pick(NUMBERS),
        3 => pick(KEYS),
        3 => prop::sample::select(vec![
            "\"", "'", "\\", "\\\"", "\\'", "\"\"", "''", "\"a b\"", "'a b'",
            "\"\\x41\\x00\\xff\"", "\"\\xZZ\"", "\"\\x4\"", "\"\\n\\r\\t\\b\\a\\q\"",
            "'it\\'s'", "\"x\"y", "'x'y", "\"unterminated", "'unterminated",
            "\"é\"", "日本", "🦀", "\u{0}", "\t", "\r", "\"\\u00e9\"",
        ])
        .prop_map(String::from),
        2 => "[a-z\"'\\\\ ]{0,8}",
        2 => "\\PC{0,8}",
        1 => any::<String>(),
        1 => ("[\"']", "\\PC{0,6}", "[\"']?").prop_map(|(q, body, end)| format!("{q}{body}{end}")),
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (
            prop::collection::vec(token(), 0..8),
            prop::sample::select(vec![" ", "  ", "\t", " \" ", ""]),
        )
            .prop_map(|(t, sep)| t.join(sep)),
        1 => any::<String>(),
    ]
}

/// What moves the clock between two commands: mostly nothing or a little,
/// sometimes past every TTL of the prelude.
fn advance() -> impl Strategy<Value = u64> {
    prop_oneof![3 => Just(0u64), 3 => 0u64..200, 2 => 0u64..3_000, 1 => 3_000u64..100_000]
}

fn origin() -> impl Strategy<Value = Origin> {
    prop_oneof![
        9 => Just(Origin::Console),
        1 => (0u64..5).prop_map(|request| Origin::Api { request }),
        1 => Just(Origin::Keyspace),
    ]
}

/// A fresh store with one key of each type, at t = 1000.
fn seeded_store() -> (Store, u64) {
    let mut store = Store::new();
    let now = 1_000;
    for cmd in PRELUDE {
        let _ = store.exec(now, Origin::Console, cmd);
    }
    (store, now)
}

fn check_renders(reply: &Reply) -> Result<(), TestCaseError> {
    let text = reply.to_cli();
    prop_assert!(!text.is_empty(), "reply renders as nothing: {:?}", reply);
    check_lines(reply)
}

/// Errors and status replies are single lines in RESP.
fn check_lines(reply: &Reply) -> Result<(), TestCaseError> {
    let line: &str = match reply {
        Reply::Error(t) => t,
        Reply::Simple(t) => t,
        Reply::Array(items) => {
            for item in items {
                check_lines(item)?;
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    prop_assert!(
        !line.contains('\r') && !line.contains('\n'),
        "status/error reply with a line break: {:?}",
        reply
    );
    Ok(())
}

/// Lets the virtual clock pass whatever `DEBUG SLEEP` asked, capped.
fn after_command(store: &mut Store, now: &mut u64, step: u64) {
    *now += store.take_sleep().min(MAX_SLEEP_MS) + step;
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: fuzz_cases(),
        // Every failure is a real bug; do not litter the tree with files.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn typed_lines_never_panic(
        steps in prop::collection::vec((line(), advance()), 1..16),
    ) {
        let (mut store, mut now) = seeded_store();
        for (line, step) in &steps {
            match store.execute_line(now, Origin::Console, line) {
                None => {}
                Some(Err(msg)) => prop_assert!(!msg.is_empty()),
                Some(Ok(reply)) => check_renders(&reply)?,
            }
            // The console's own `help`, on the same words as a topic
            // (answered by the console: the store does not change).
            if let Some(text) = store.execute_line_output(now, Origin::Console, &format!("help {line}")) {
                prop_assert!(!text.is_empty());
            }
            after_command(&mut store, &mut now, *step);
        }
    }

    #[test]
    fn argument_vectors_never_panic(
        steps in prop::collection::vec((argv(), advance(), origin()), 1..24),
    ) {
        let (mut store, mut now) = seeded_store();
        for (args, step, origin) in &steps {
            let reply = store.execute(now, *origin, args);
            check_renders(&reply)?;
            after_command(&mut store, &mut now, *step);
        }
        // The store still answers afterwards (out of any MULTI first).
        let _ = store.exec(now, Origin::Console, &["DISCARD"]);
        let reply = store.exec(now, Origin::Console, &["PING"]);
        prop_assert_eq!(reply, Reply::Simple("PONG".into()));
    }
}
