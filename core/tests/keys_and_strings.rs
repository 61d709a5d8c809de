//! String and key commands in the cases the text corpus cannot reach yet
//! (no HSET or CONFIG SET in the store on this branch): values of another
//! type are put in the keyspace directly, the policy is set on the config.
//! Expected replies were taken from a real Redis 7.0.15.

use playground_core::rng::Rng;
use playground_core::store::{Origin, Policy, Store, Value};

fn run(store: &mut Store, now: u64, line: &str) -> String {
    match store.execute_line(now, Origin::Console, line) {
        Some(Ok(r)) => r.to_cli(),
        Some(Err(e)) => e.to_string(),
        None => String::new(),
    }
}

fn with_hash(key: &str) -> Store {
    let mut store = Store::new();
    let mut h = playground_core::store::value::Hash::default();
    h.insert(b"f".to_vec(), b"v".to_vec());
    store.keyspace.set(key.as_bytes(), Value::Hash(h), false, 0);
    store
}

const WRONGTYPE: &str = "(error) WRONGTYPE Operation against a key holding the wrong kind of value";

#[test]
fn string_commands_on_a_hash_answer_wrongtype() {
    let mut s = with_hash("h");
    for cmd in [
        "GET h",
        "GETDEL h",
        "GETEX h",
        "GETEX h EX abc",
        "GETSET h x",
        "APPEND h x",
        "STRLEN h",
        "INCR h",
        "INCRBYFLOAT h 1",
        "SET h x GET",
    ] {
        assert_eq!(run(&mut s, 0, cmd), WRONGTYPE, "{cmd}");
    }
    assert_eq!(run(&mut s, 0, "MGET h"), "1) (nil)");
    assert_eq!(run(&mut s, 0, "SETNX h x"), "(integer) 0");
    assert_eq!(run(&mut s, 0, "MSETNX h x"), "(integer) 0");
    assert_eq!(run(&mut s, 0, "TYPE h"), "hash");
    assert_eq!(run(&mut s, 0, "SET h x"), "OK");
    assert_eq!(run(&mut s, 0, "TYPE h"), "string");
}

#[test]
fn overwriting_commands_replace_a_hash() {
    let mut s = with_hash("h");
    assert_eq!(run(&mut s, 0, "SETEX h 100 x"), "OK");
    assert_eq!(run(&mut s, 0, "TYPE h"), "string");
    let mut s = with_hash("h2");
    assert_eq!(run(&mut s, 0, "MSET h2 y"), "OK");
    assert_eq!(run(&mut s, 0, "GET h2"), "\"y\"");
    let mut s = with_hash("h3");
    assert_eq!(run(&mut s, 0, "PSETEX h3 100000 z"), "OK");
    assert_eq!(run(&mut s, 0, "GET h3"), "\"z\"");
}

#[test]
fn key_commands_on_a_hash() {
    let mut s = with_hash("h");
    assert_eq!(run(&mut s, 0, "TYPE h"), "hash");
    assert_eq!(run(&mut s, 0, "OBJECT ENCODING h"), "\"listpack\"");
    assert_eq!(run(&mut s, 0, "SCAN 0 TYPE hash"), "1) \"0\"\n2) 1) \"h\"");
    assert_eq!(
        run(&mut s, 0, "SCAN 0 TYPE string"),
        "1) \"0\"\n2) (empty array)"
    );
    assert_eq!(run(&mut s, 0, "RENAME h h2"), "OK");
    assert_eq!(run(&mut s, 0, "TYPE h2"), "hash");
    assert_eq!(run(&mut s, 0, "EXPIRE h2 100"), "(integer) 1");
    assert_eq!(run(&mut s, 0, "TTL h2"), "(integer) 100");
}

#[test]
fn object_freq_and_idletime_follow_the_policy() {
    let mut s = Store::new();
    s.config.maxmemory_policy = Policy::AllKeysLfu;
    assert_eq!(run(&mut s, 0, "SET k v"), "OK");
    assert_eq!(run(&mut s, 0, "OBJECT FREQ k"), "(integer) 5");
    assert_eq!(run(&mut s, 0, "OBJECT FREQ missing"), "(nil)");
    assert_eq!(
        run(&mut s, 0, "OBJECT IDLETIME k"),
        "(error) ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
    );
    assert_eq!(run(&mut s, 0, "OBJECT IDLETIME missing"), "(nil)");
    s.config.maxmemory_policy = Policy::NoEviction;
    assert_eq!(
        run(&mut s, 0, "OBJECT FREQ k"),
        "(error) ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
    );
    assert_eq!(run(&mut s, 7_500, "OBJECT IDLETIME k"), "(integer) 7");
}

#[test]
fn dbsize_counts_expired_keys_until_reclaimed() {
    let mut s = Store::new();
    run(&mut s, 0, "SET a 1 PX 100");
    run(&mut s, 0, "SET b 2");
    assert_eq!(run(&mut s, 300, "DBSIZE"), "(integer) 2");
    assert_eq!(run(&mut s, 300, "GET a"), "(nil)");
    assert_eq!(run(&mut s, 300, "DBSIZE"), "(integer) 1");
}

#[test]
fn scan_walks_every_key_once_with_small_counts() {
    let mut s = Store::new();
    for i in 0..25 {
        run(&mut s, 0, &format!("SET k{i} v"));
    }
    let mut cursor = "0".to_string();
    let mut seen = Vec::new();
    loop {
        let out = run(&mut s, 0, &format!("SCAN {cursor} COUNT 3"));
        let mut lines = out.lines();
        let first = lines.next().unwrap_or_default();
        cursor = first
            .trim_start_matches("1) ")
            .trim_matches('"')
            .to_string();
        for l in lines {
            if let Some(k) = l.split('"').nth(1) {
                seen.push(k.to_string());
            }
        }
        if cursor == "0" {
            break;
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 25);
}

/// Random arguments through every command of this branch: replies only,
/// never a panic.
#[test]
fn no_panics_on_random_arguments() {
    let names = [
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
        "INCRBYFLOAT",
        "UNLINK",
        "TYPE",
        "KEYS",
        "SCAN",
        "RENAME",
        "RENAMENX",
        "RANDOMKEY",
        "DBSIZE",
        "FLUSHDB",
        "FLUSHALL",
        "EXPIRE",
        "PEXPIRE",
        "EXPIREAT",
        "PEXPIREAT",
        "EXPIRETIME",
        "PEXPIRETIME",
        "PERSIST",
        "OBJECT",
        "SET",
        "GET",
        "INCR",
        "TTL",
    ];
    let words = [
        "k",
        "j",
        "0",
        "-1",
        "1",
        "100",
        "9223372036854775807",
        "-9223372036854775808",
        "1e4932",
        "1e-4951",
        "inf",
        "-inf",
        "nan",
        "0.1",
        "EX",
        "PX",
        "EXAT",
        "PXAT",
        "PERSIST",
        "NX",
        "XX",
        "GT",
        "LT",
        "GET",
        "KEEPTTL",
        "MATCH",
        "COUNT",
        "TYPE",
        "[",
        "[^",
        "\\",
        "*",
        "?",
        "[a-",
        "ENCODING",
        "FREQ",
        "IDLETIME",
        "REFCOUNT",
        "HELP",
        "ASYNC",
        "",
        "18446744073709551615",
        "99999999999999999999",
    ];
    let mut rng = Rng::new(42);
    let mut s = with_hash("h");
    let mut now = 0u64;
    for _ in 0..20_000 {
        let name = names[rng.up_to(names.len() as u64 - 1) as usize];
        let mut args = vec![name.as_bytes().to_vec()];
        for _ in 0..rng.up_to(5) {
            args.push(
                words[rng.up_to(words.len() as u64 - 1) as usize]
                    .as_bytes()
                    .to_vec(),
            );
        }
        now += rng.up_to(50);
        let _ = s.execute(now, Origin::Console, &args);
    }
}

#[test]
fn looking_at_a_key_does_not_reset_its_idle_time() {
    let mut s = Store::new();
    run(&mut s, 0, "SET k v");
    for cmd in [
        "TYPE k",
        "TTL k",
        "PTTL k",
        "EXISTS k",
        "EXPIRETIME k",
        "OBJECT ENCODING k",
    ] {
        run(&mut s, 5_000, cmd);
    }
    assert_eq!(run(&mut s, 7_500, "OBJECT IDLETIME k"), "(integer) 7");
    run(&mut s, 8_000, "GET k");
    assert_eq!(run(&mut s, 9_100, "OBJECT IDLETIME k"), "(integer) 1");
}
