//! The key inspector outside the DOM: everything about one key, and the
//! commands its buttons send. Reading uses `peek`, like the rest of the
//! keyspace view: looking at a key must not count a hit, refresh its LRU
//! clock or reclaim a ghost, or the inspector would change the experiment
//! it shows. Changing a key goes through the store's one command path as a
//! client of its own ([`Origin::Keyspace`]), so MONITOR shows exactly what
//! ran and a console's MULTI is not disturbed. No Leptos here: tested
//! natively.

use playground_core::store::args::join_args;
use playground_core::store::cmd::keys::{encoding, freq, idle_seconds};
use playground_core::store::types::zset::format_score;
use playground_core::store::{Origin, Store, Value};
use playground_core::time::Millis;

use crate::sim::SimState;
use crate::widgets::keyspace::model::{escape, size_text, thousands, ttl_text};
use crate::widgets::monitor::model::{rows_naming, Row as MonitorRow};

/// Elements listed at most; the rest are counted.
pub const ITEM_CAP: usize = 100;
/// Commands of the key's history shown.
pub const HISTORY: usize = 8;
/// Characters of a string value shown.
pub const TEXT_CHARS: usize = 2_000;
/// Characters of one field, element or member shown.
pub const ELEM_CHARS: usize = 200;
/// Characters of the key name shown.
pub const NAME_CHARS: usize = 400;

/// What a value holds, as the inspector lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contents {
    /// A string, escaped, at most [`TEXT_CHARS`] characters (then `…`).
    Text(String),
    /// A hash, list, set or sorted set: two columns (one for a set, whose
    /// first head is empty), in the store's order (HGETALL, LRANGE 0 -1,
    /// SMEMBERS, ZRANGE 0 -1 WITHSCORES).
    Table {
        head: (&'static str, &'static str),
        rows: Vec<(String, String)>,
        /// Each listed row's field or member as stored, for its Remove
        /// button (HDEL, SREM, ZREM); empty for a list, whose rows are
        /// positions, not names.
        names: Vec<Vec<u8>>,
        /// Elements not listed (beyond [`ITEM_CAP`]).
        more: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    pub key: String,
    pub kind: &'static str,
    /// `OBJECT ENCODING`.
    pub encoding: &'static str,
    pub ttl: String,
    pub has_ttl: bool,
    /// Past its expiry, still in memory (Redis has not reclaimed it yet).
    pub ghost: bool,
    /// `11 bytes`, `3 fields`, …
    pub size: String,
    /// The store's estimate of the key's memory, which `used_memory` and
    /// eviction count.
    pub memory: String,
    /// What eviction ranks keys by: `OBJECT IDLETIME` (seconds), or
    /// `OBJECT FREQ` under an LFU policy, as (label, value).
    pub access: (&'static str, String),
    pub contents: Contents,
    /// The newest commands that named the key (MONITOR lines), newest first.
    pub history: Vec<MonitorRow>,
}

impl Detail {
    /// The facts as the inspector lists them: (label, value).
    pub fn facts(&self) -> [(&'static str, String); 6] {
        [
            ("type", self.kind.to_string()),
            ("OBJECT ENCODING", self.encoding.to_string()),
            ("TTL", self.ttl.clone()),
            ("size", self.size.clone()),
            ("memory (estimate)", self.memory.clone()),
            (self.access.0, self.access.1.clone()),
        ]
    }
}

/// Everything about `key` at `now`, or `None` when it is not in memory.
pub fn inspect(store: &Store, key: &[u8], now: Millis) -> Option<Detail> {
    let entry = store.keyspace.peek(key)?;
    let policy = store.config.maxmemory_policy;
    let access = if policy.is_lfu() {
        (
            "OBJECT FREQ",
            freq(entry, now, store.config.lfu_decay_time).to_string(),
        )
    } else {
        (
            "idle (OBJECT IDLETIME)",
            format!("{} s", idle_seconds(entry, now)),
        )
    };
    Some(Detail {
        key: escape(key, NAME_CHARS),
        kind: entry.value.type_name(),
        encoding: encoding(&entry.value, entry.built()),
        ttl: ttl_text(entry.expire_at(), now),
        has_ttl: entry.expire_at().is_some(),
        ghost: entry.is_expired(now),
        size: size_text(&entry.value),
        memory: format!("≈ {} bytes", thousands(entry.size())),
        access,
        contents: contents(&entry.value),
        history: rows_naming(store, key, HISTORY),
    })
}

fn contents(value: &Value) -> Contents {
    let names: Vec<Vec<u8>> = match value {
        Value::Hash(h) => h.keys().take(ITEM_CAP).cloned().collect(),
        Value::Set(s) => s.iter().take(ITEM_CAP).map(<[u8]>::to_vec).collect(),
        Value::ZSet(z) => z.iter().take(ITEM_CAP).map(|(m, _)| m.to_vec()).collect(),
        Value::Str(_) | Value::List(_) => Vec::new(),
    };
    let e = |b: &[u8]| escape(b, ELEM_CHARS);
    let (head, len, rows): (_, usize, Vec<(String, String)>) = match value {
        Value::Str(s) => return Contents::Text(escape(s, TEXT_CHARS)),
        Value::Hash(h) => (
            ("field", "value"),
            h.len(),
            h.iter().take(ITEM_CAP).map(|(f, v)| (e(f), e(v))).collect(),
        ),
        Value::List(l) => (
            ("index", "element"),
            l.len(),
            l.iter()
                .take(ITEM_CAP)
                .enumerate()
                .map(|(i, v)| (i.to_string(), e(v)))
                .collect(),
        ),
        Value::Set(s) => (
            ("", "member"),
            s.len(),
            s.iter()
                .take(ITEM_CAP)
                .map(|m| (String::new(), e(m)))
                .collect(),
        ),
        Value::ZSet(z) => (
            ("member", "score"),
            z.len(),
            z.iter()
                .take(ITEM_CAP)
                .map(|(m, s)| (e(m), format_score(s)))
                .collect(),
        ),
    };
    Contents::Table {
        head,
        more: len.saturating_sub(rows.len()),
        rows,
        names,
    }
}

/// What the inspector's buttons do to the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Delete,
    Persist,
    /// `EXPIRE key <seconds>`, the seconds as the reader typed them: Redis
    /// itself answers a bad number, and a negative one deletes the key.
    Expire,
    /// `EXISTS key`: touching a ghost makes Redis reclaim it (passive expiry).
    Touch,
}

impl Action {
    pub fn args(self, key: &[u8], seconds: &str) -> Vec<Vec<u8>> {
        let (name, extra): (&[u8], Option<&str>) = match self {
            Action::Delete => (b"DEL", None),
            Action::Persist => (b"PERSIST", None),
            Action::Expire => (b"EXPIRE", Some(seconds.trim())),
            Action::Touch => (b"EXISTS", None),
        };
        let mut args = vec![name.to_vec(), key.to_vec()];
        args.extend(extra.map(|s| s.as_bytes().to_vec()));
        args
    }
}

/// Sends `action` for `key` and returns what happened as one line: the
/// command as redis-cli would echo it and the reply as it would print it,
/// e.g. `DEL product:1 → (integer) 1`.
pub fn run(st: &mut SimState, key: &[u8], action: Action, seconds: &str) -> String {
    send(st, &action.args(key, seconds)).0
}

/// Runs `args` as the keyspace's client: the line to show, and whether
/// Redis answered an error.
fn send(st: &mut SimState, args: &[Vec<u8>]) -> (String, bool) {
    let reply = st.engine.command_from(Origin::Keyspace, args);
    let line = format!("{} → {}", join_args(args), reply.to_cli());
    (line, reply.is_error())
}

/// A change to the value, typed in the inspector as Redis Insight's editors
/// offer them. Each is one command, sent with the text as typed (spaces and
/// quotes included: nothing is split or unquoted), so Redis itself answers
/// a bad score or a missing key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// `SET key value KEEPTTL`: a string's new value; its TTL stays.
    Replace(String),
    /// `HSET key field value`, `SADD key member`, `ZADD key score member`,
    /// `RPUSH key element`: the two inputs of [`add_inputs`], in order.
    Add(String, String),
    /// `HDEL`, `SREM` or `ZREM` of one listed field or member.
    Remove(Vec<u8>),
    /// `LPOP key`: a list's first element.
    PopHead,
    /// `RENAME key newkey`.
    Rename(String),
}

/// The labels of the Add inputs for a type (the second is `None` where
/// one input is enough), or `None` for a string, which is replaced whole.
pub fn add_inputs(kind: &str) -> Option<(&'static str, Option<&'static str>)> {
    match kind {
        "hash" => Some(("field", Some("value"))),
        "set" => Some(("member", None)),
        "zset" => Some(("score", Some("member"))),
        "list" => Some(("element", None)),
        _ => None,
    }
}

/// The command name an Add sends for a type.
pub fn add_command(kind: &str) -> &'static str {
    match kind {
        "hash" => "HSET",
        "set" => "SADD",
        "zset" => "ZADD",
        _ => "RPUSH",
    }
}

/// The command a row's Remove button sends for a type; `None` for a list
/// (its rows are positions) or a string.
pub fn remove_command(kind: &str) -> Option<&'static str> {
    match kind {
        "hash" => Some("HDEL"),
        "set" => Some("SREM"),
        "zset" => Some("ZREM"),
        _ => None,
    }
}

impl Edit {
    /// The command for a key of type `kind`, or `None` where the edit does
    /// not apply to that type (no button offers it there).
    pub fn args(&self, kind: &str, key: &[u8]) -> Option<Vec<Vec<u8>>> {
        let bytes = |s: &str| s.as_bytes().to_vec();
        let args: Vec<Vec<u8>> = match (self, kind) {
            (Edit::Replace(v), "string") => {
                vec![bytes("SET"), key.to_vec(), bytes(v), bytes("KEEPTTL")]
            }
            (Edit::Add(a, b), _) => {
                let (_, second) = add_inputs(kind)?;
                let mut args = vec![bytes(add_command(kind)), key.to_vec(), bytes(a)];
                args.extend(second.map(|_| bytes(b)));
                args
            }
            (Edit::Remove(name), _) => {
                vec![bytes(remove_command(kind)?), key.to_vec(), name.clone()]
            }
            (Edit::PopHead, "list") => vec![bytes("LPOP"), key.to_vec()],
            (Edit::Rename(to), _) => vec![bytes("RENAME"), key.to_vec(), bytes(to)],
            _ => return None,
        };
        Some(args)
    }
}

/// Sends `edit` to `key` (of type `kind`): the line to show, and whether
/// it succeeded (so a rename can follow the key to its new name).
pub fn run_edit(st: &mut SimState, kind: &str, key: &[u8], edit: &Edit) -> Option<(String, bool)> {
    let args = edit.args(kind, key)?;
    let (line, error) = send(st, &args);
    Some((line, !error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use playground_core::store::Reply;

    const C: Origin = Origin::Console;

    fn store_with(lines: &[&[&str]]) -> Store {
        let mut s = Store::new();
        for l in lines {
            let r = s.exec(0, C, l);
            assert!(!r.is_error(), "{l:?}: {r:?}");
        }
        s
    }

    fn table(d: &Detail) -> (&'static str, &'static str, Vec<(String, String)>, usize) {
        match &d.contents {
            Contents::Table {
                head, rows, more, ..
            } => (head.0, head.1, rows.clone(), *more),
            Contents::Text(t) => panic!("a table, not text {t:?}"),
        }
    }

    #[test]
    fn a_string_shows_escaped_with_its_encoding_ttl_and_idle_time() {
        let mut s = store_with(&[&["SET", "k", "a\nb\u{1F600}", "EX", "50"]]);
        s.exec(1_000, C, &["APPEND", "k", "\u{1}"]);
        let d = inspect(&s, b"k", 4_200).expect("k is there");
        assert_eq!(d.kind, "string");
        assert_eq!(
            d.encoding, "raw",
            "APPEND makes raw, as OBJECT ENCODING says"
        );
        assert_eq!(d.contents, Contents::Text("a\\nb\u{1F600}\\x01".into()));
        assert_eq!(d.size, "8 bytes");
        assert!(d.has_ttl && !d.ghost);
        assert_eq!(d.ttl, "45.8 s");
        assert_eq!(d.access, ("idle (OBJECT IDLETIME)", "3 s".to_string()));
        assert_eq!(d.facts()[1], ("OBJECT ENCODING", "raw".to_string()));
        assert_eq!(
            s.exec(4_200, C, &["OBJECT", "IDLETIME", "k"]),
            Reply::Integer(3),
            "the same number the command gives"
        );
        assert!(d.memory.starts_with("≈ ") && d.memory.ends_with(" bytes"));
    }

    #[test]
    fn an_lfu_policy_shows_the_frequency_instead_of_the_idle_time() {
        let mut s = store_with(&[
            &["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"],
            &["SET", "k", "1"],
        ]);
        let freq = s.exec(0, C, &["OBJECT", "FREQ", "k"]);
        let d = inspect(&s, b"k", 0).expect("k");
        assert_eq!(d.access, ("OBJECT FREQ", reply_int(&freq).to_string()));
        assert_eq!(d.encoding, "int");
    }

    fn reply_int(r: &Reply) -> i64 {
        match r {
            Reply::Integer(n) => *n,
            other => panic!("an integer, not {other:?}"),
        }
    }

    #[test]
    fn collections_list_in_store_order_and_count_what_is_cut() {
        let mut s = store_with(&[
            &["HSET", "h", "b", "2", "a", "<img src=x>"],
            &["RPUSH", "l", "x", "y"],
            &["ZADD", "z", "2", "two", "1", "one", "-inf", "low"],
        ]);
        let (f, v, rows, more) = table(&inspect(&s, b"h", 0).expect("h"));
        assert_eq!((f, v, more), ("field", "value", 0));
        assert_eq!(
            rows,
            vec![("b".into(), "2".into()), ("a".into(), "<img src=x>".into())]
        );
        let (f, _, rows, _) = table(&inspect(&s, b"l", 0).expect("l"));
        assert_eq!(f, "index");
        assert_eq!(
            rows,
            vec![("0".into(), "x".into()), ("1".into(), "y".into())]
        );
        let d = inspect(&s, b"z", 0).expect("z");
        assert_eq!((d.kind, d.encoding), ("zset", "listpack"));
        let (_, score, rows, _) = table(&d);
        assert_eq!(score, "score");
        assert_eq!(
            rows,
            vec![
                ("low".into(), "-inf".into()),
                ("one".into(), "1".into()),
                ("two".into(), "2".into())
            ]
        );

        let members: Vec<String> = (0..250)
            .flat_map(|i| [i.to_string(), format!("m{i}")])
            .collect();
        let mut args = vec!["ZADD".to_string(), "big".into()];
        args.extend(members);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        s.exec(0, C, &args);
        let d = inspect(&s, b"big", 0).expect("big");
        assert_eq!(d.encoding, "skiplist");
        assert_eq!(d.size, "250 members");
        let (_, _, rows, more) = table(&d);
        assert_eq!((rows.len(), more), (ITEM_CAP, 250 - ITEM_CAP));
    }

    #[test]
    fn a_set_lists_its_members_in_one_column_an_intset_ascending() {
        let mut s = store_with(&[&["SADD", "s", "10", "-3", "7"]]);
        let d = inspect(&s, b"s", 0).expect("s");
        assert_eq!(
            (d.kind, d.encoding, d.size.as_str()),
            ("set", "intset", "3 members")
        );
        let (first, head, rows, _) = table(&d);
        assert_eq!((first, head), ("", "member"), "one column");
        let members: Vec<&str> = rows.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(members, ["-3", "7", "10"], "SMEMBERS's order");
        assert_eq!(
            crate::widgets::keyspace::model::preview(&s.keyspace.peek(b"s").expect("s").value).0,
            "{-3, 7, 10}"
        );
        s.exec(0, C, &["SADD", "s", "word"]);
        assert_eq!(inspect(&s, b"s", 0).map(|d| d.encoding), Some("hashtable"));
    }

    #[test]
    fn a_megabyte_value_is_cut_to_a_readable_length() {
        let big = "x".repeat(1 << 20);
        let s = store_with(&[&["SET", "big", &big]]);
        let d = inspect(&s, b"big", 0).expect("big");
        let Contents::Text(t) = d.contents else {
            panic!("text")
        };
        assert_eq!(t.chars().count(), TEXT_CHARS + 1, "then an ellipsis");
        assert!(t.ends_with('…'));
        assert_eq!(d.size, "1,048,576 bytes");
    }

    #[test]
    fn looking_changes_nothing_not_even_a_ghost() {
        let mut s = store_with(&[&["SET", "g", "1", "PX", "10"], &["SET", "k", "v"]]);
        s.exec(0, C, &["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
        let before = (
            s.keyspace.version(),
            s.keyspace.stats,
            s.commands_processed(),
        );
        let g = inspect(&s, b"g", 5_000).expect("the ghost is still in memory");
        assert!(g.ghost);
        assert_eq!(g.ttl, "expired, not yet reclaimed");
        assert!(inspect(&s, b"k", 5_000).is_some());
        assert_eq!(inspect(&s, b"nope", 5_000), None);
        assert_eq!(
            (
                s.keyspace.version(),
                s.keyspace.stats,
                s.commands_processed()
            ),
            before,
            "no hit, miss, expiry or command was counted"
        );
        assert_eq!(s.keyspace.peek(b"k").map(|e| e.last_access()), Some(0));
    }

    #[test]
    fn actions_send_the_command_a_reader_would_type() {
        let k = b"a key";
        let words = |a: Vec<Vec<u8>>| -> Vec<String> {
            a.iter()
                .map(|w| String::from_utf8_lossy(w).into_owned())
                .collect()
        };
        assert_eq!(words(Action::Delete.args(k, "9")), ["DEL", "a key"]);
        assert_eq!(words(Action::Persist.args(k, "")), ["PERSIST", "a key"]);
        assert_eq!(
            words(Action::Expire.args(k, " 30 ")),
            ["EXPIRE", "a key", "30"]
        );
        assert_eq!(words(Action::Touch.args(k, "")), ["EXISTS", "a key"]);
    }

    #[test]
    fn edits_send_the_command_a_reader_would_type_for_each_type() {
        let words = |a: Option<Vec<Vec<u8>>>| -> Vec<String> {
            a.unwrap_or_default()
                .iter()
                .map(|w| String::from_utf8_lossy(w).into_owned())
                .collect()
        };
        let k = b"k";
        let add = Edit::Add("a b".into(), "1.5".into());
        assert_eq!(words(add.args("hash", k)), ["HSET", "k", "a b", "1.5"]);
        assert_eq!(words(add.args("set", k)), ["SADD", "k", "a b"], "one input");
        assert_eq!(words(add.args("zset", k)), ["ZADD", "k", "a b", "1.5"]);
        assert_eq!(words(add.args("list", k)), ["RPUSH", "k", "a b"]);
        assert!(add.args("string", k).is_none(), "a string is replaced");
        let replace = Edit::Replace("new \"v\"".into());
        assert_eq!(
            words(replace.args("string", k)),
            ["SET", "k", "new \"v\"", "KEEPTTL"]
        );
        assert!(replace.args("hash", k).is_none());
        let remove = Edit::Remove(b"m".to_vec());
        assert_eq!(words(remove.args("hash", k)), ["HDEL", "k", "m"]);
        assert_eq!(words(remove.args("set", k)), ["SREM", "k", "m"]);
        assert_eq!(words(remove.args("zset", k)), ["ZREM", "k", "m"]);
        assert!(remove.args("list", k).is_none(), "list rows are positions");
        assert_eq!(words(Edit::PopHead.args("list", k)), ["LPOP", "k"]);
        assert!(Edit::PopHead.args("set", k).is_none());
        assert_eq!(
            words(Edit::Rename("n".into()).args("zset", k)),
            ["RENAME", "k", "n"]
        );
    }

    #[test]
    fn edits_change_the_value_and_redis_answers_bad_input() {
        let mut st = SimState::new(7);
        st.engine.console_line("SET s old EX 100");
        st.engine.console_line("ZADD z 1 a 2 b");
        let line = |st: &mut SimState, kind: &str, key: &[u8], e: Edit| {
            run_edit(st, kind, key, &e).expect("applies")
        };
        assert_eq!(
            line(&mut st, "string", b"s", Edit::Replace("new value".into())),
            ("SET s \"new value\" KEEPTTL → OK".to_string(), true)
        );
        let d = st
            .engine
            .with_store(|s| inspect(s, b"s", 0))
            .expect("there");
        assert_eq!(d.contents, Contents::Text("new value".into()));
        assert!(d.has_ttl, "KEEPTTL kept the TTL");
        assert_eq!(
            line(&mut st, "zset", b"z", Edit::Add("high".into(), "c".into())),
            (
                "ZADD z high c → (error) ERR value is not a valid float".to_string(),
                false
            )
        );
        line(&mut st, "zset", b"z", Edit::Add("0.5".into(), "c".into()));
        line(&mut st, "zset", b"z", Edit::Remove(b"a".to_vec()));
        let d = st
            .engine
            .with_store(|s| inspect(s, b"z", 0))
            .expect("there");
        let Contents::Table { rows, names, .. } = d.contents else {
            panic!("a table");
        };
        assert_eq!(names, [b"c".to_vec(), b"b".to_vec()], "by score, a removed");
        assert_eq!(rows.first(), Some(&("c".to_string(), "0.5".to_string())));
        assert_eq!(
            line(&mut st, "zset", b"z", Edit::Rename("z2".into())),
            ("RENAME z z2 → OK".to_string(), true)
        );
        assert!(st.engine.with_store(|s| inspect(s, b"z2", 0)).is_some());
        assert_eq!(
            line(&mut st, "zset", b"z", Edit::Rename("z3".into())),
            ("RENAME z z3 → (error) ERR no such key".to_string(), false),
            "the old name is gone"
        );
    }

    #[test]
    fn actions_run_through_the_store_and_show_in_monitor_as_the_keyspace() {
        let mut st = SimState::new(7);
        st.engine.console_line("SET \"a key\" v");
        assert_eq!(
            run(&mut st, b"a key", Action::Expire, "abc"),
            "EXPIRE \"a key\" abc → (error) ERR value is not an integer or out of range",
            "Redis's own answer to a bad number"
        );
        assert_eq!(
            run(&mut st, b"a key", Action::Expire, "30"),
            "EXPIRE \"a key\" 30 → (integer) 1"
        );
        let d = st
            .engine
            .with_store(|s| inspect(s, b"a key", 0))
            .expect("there");
        assert_eq!(d.ttl, "30.0 s");
        assert_eq!(
            run(&mut st, b"a key", Action::Persist, ""),
            "PERSIST \"a key\" → (integer) 1"
        );
        assert_eq!(
            run(&mut st, b"a key", Action::Delete, ""),
            "DEL \"a key\" → (integer) 1"
        );
        assert_eq!(st.engine.with_store(|s| inspect(s, b"a key", 0)), None);
        let who: Vec<(String, String)> = st.engine.with_store(|s| {
            s.monitor()
                .entries()
                .map(|e| (e.who(), e.command_line()))
                .collect()
        });
        assert_eq!(
            who.iter().filter(|(w, _)| w == "keyspace").count(),
            4,
            "{who:?}"
        );
        assert!(who.contains(&("keyspace".into(), "DEL \"a key\"".into())));
    }

    #[test]
    fn the_history_lists_the_commands_that_named_the_key_newest_first() {
        let mut s = Store::new();
        s.exec(0, C, &["SET", "product:1", "{}", "EX", "10"]);
        s.exec(5, Origin::Api { request: 3 }, &["GET", "product:1"]);
        s.exec(6, C, &["INCR", "product:1:views"]);
        s.exec(7, C, &["MSET", "a", "1", "product:1", "x"]);
        s.exec(8, Origin::Keyspace, &["PERSIST", "product:1"]);
        for i in 0..20 {
            s.exec(9, C, &["GET", &format!("other:{i}")]);
        }
        let d = inspect(&s, b"product:1", 10).expect("there");
        let lines: Vec<(&str, &str)> = d
            .history
            .iter()
            .map(|r| (r.origin.as_str(), r.line.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                ("keyspace", "PERSIST product:1"),
                ("console", "MSET a 1 product:1 x"),
                ("#3", "GET product:1"),
                ("console", "SET product:1 {} EX 10"),
            ],
            "not product:1:views, not the other keys"
        );
        assert_eq!(
            d.history.first().map(|r| r.time.as_str()),
            Some("00:00.008")
        );

        for _ in 0..HISTORY + 3 {
            s.exec(11, C, &["GET", "product:1"]);
        }
        assert_eq!(
            inspect(&s, b"product:1", 12).map(|d| d.history.len()),
            Some(HISTORY)
        );
    }

    #[test]
    fn touching_a_ghost_reclaims_it_as_passive_expiry_does() {
        let mut st = SimState::new(7);
        st.engine.console_line("DEBUG SET-ACTIVE-EXPIRE 0");
        st.engine.console_line("SET g 1 PX 10");
        st.advance_by(50);
        let now = st.engine.now();
        assert!(st
            .engine
            .with_store(|s| inspect(s, b"g", now))
            .is_some_and(|d| d.ghost));
        assert_eq!(
            run(&mut st, b"g", Action::Touch, ""),
            "EXISTS g → (integer) 0"
        );
        assert_eq!(st.engine.with_store(|s| inspect(s, b"g", now)), None);
        assert_eq!(
            st.engine.with_store(|s| s.keyspace.stats.expired_keys),
            1,
            "counted as an expiry, not a delete"
        );
    }
}
