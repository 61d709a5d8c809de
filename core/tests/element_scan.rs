//! SSCAN, HSCAN and ZSCAN over hashtables: what the differential corpus
//! cannot compare (Redis's cursors follow its randomly seeded hash), checked
//! against SCAN's promises instead. A full walk returns every element that
//! was there from start to end, even when elements come and go (and the
//! table grows or shrinks) between calls; it ends; an element is returned
//! with its own value or score.

use std::collections::{BTreeMap, BTreeSet};

use playground_core::rng::Rng;
use playground_core::store::{Origin, Reply, Store};

const C: Origin = Origin::Console;

fn bytes(r: &Reply) -> Vec<u8> {
    match r {
        Reply::Bulk(b) => b.clone(),
        other => panic!("expected a bulk string, got {other:?}"),
    }
}

/// One call: the next cursor and the elements (pairs for HSCAN/ZSCAN).
fn call(s: &mut Store, cmd: &str, key: &str, cursor: &str, count: usize) -> (String, Vec<Vec<u8>>) {
    let count = count.to_string();
    match s.exec(0, C, &[cmd, key, cursor, "COUNT", &count]) {
        Reply::Array(parts) => match parts.as_slice() {
            [c, Reply::Array(items)] => (
                String::from_utf8(bytes(c)).expect("an ASCII cursor"),
                items.iter().map(bytes).collect(),
            ),
            other => panic!("unexpected reply {other:?}"),
        },
        other => panic!("unexpected reply {other:?}"),
    }
}

/// Walks `key` with `cmd`, calling `between` after every call; returns what
/// was seen (names, with their last value for pairs) and the number of calls.
fn walk(
    s: &mut Store,
    cmd: &str,
    key: &str,
    count: usize,
    mut between: impl FnMut(&mut Store, usize),
) -> (BTreeMap<Vec<u8>, Option<Vec<u8>>>, usize) {
    let pairs = cmd != "SSCAN";
    let mut seen = BTreeMap::new();
    let mut cursor = "0".to_string();
    for calls in 1..=100_000 {
        let (next, items) = call(s, cmd, key, &cursor, count);
        if pairs {
            assert_eq!(items.len() % 2, 0, "{cmd} answers pairs");
            for pair in items.chunks(2) {
                if let [name, value] = pair {
                    seen.insert(name.clone(), Some(value.clone()));
                }
            }
        } else {
            for name in items {
                seen.insert(name, None);
            }
        }
        if next == "0" {
            return (seen, calls);
        }
        cursor = next;
        between(s, calls);
    }
    panic!("{cmd} {key} did not end in 100,000 calls");
}

#[test]
fn a_quiet_walk_returns_every_element_once_in_several_calls() {
    let mut s = Store::new();
    let words: Vec<String> = (0..300).map(|i| format!("w{i}")).collect();
    let mut args = vec!["SADD", "words"];
    args.extend(words.iter().map(String::as_str));
    s.exec(0, C, &args);
    let mut total = 0;
    let mut cursor = "0".to_string();
    let mut calls = 0;
    let mut all = BTreeSet::new();
    loop {
        let (next, items) = call(&mut s, "SSCAN", "words", &cursor, 10);
        total += items.len();
        all.extend(items);
        calls += 1;
        if next == "0" {
            break;
        }
        cursor = next;
    }
    assert_eq!(total, 300, "no duplicates without a resize");
    assert_eq!(all.len(), 300);
    assert!(
        calls > 10,
        "COUNT 10 over 300 members takes many calls: {calls}"
    );
}

#[test]
fn sscan_keeps_scans_promise_while_members_come_and_go() {
    for seed in 1..=10u64 {
        for count in [1, 3, 10] {
            let mut s = Store::new();
            let mut rng = Rng::new(seed);
            let mut args: Vec<String> = vec!["SADD".into(), "s".into()];
            args.extend((0..200).map(|i| format!("stay{i}")));
            args.extend((0..200).map(|i| format!("go{i}")));
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            s.exec(0, C, &refs);
            let mut added = BTreeSet::new();
            let (seen, _) = walk(&mut s, "SSCAN", "s", count, |s, call| {
                // Shrink (remove the go* members) and grow (add new ones),
                // so the table changes size under the cursor.
                let n = rng.up_to(6);
                for j in 0..n {
                    let gone = format!("go{}", (call * 7 + j as usize) % 200);
                    s.exec(0, C, &["SREM", "s", &gone]);
                    let new = format!("new{call}-{j}");
                    s.exec(0, C, &["SADD", "s", &new]);
                    added.insert(new.into_bytes());
                }
            });
            for i in 0..200 {
                let m = format!("stay{i}").into_bytes();
                assert!(
                    seen.contains_key(&m),
                    "seed {seed} count {count}: stay{i} missed"
                );
            }
            for name in seen.keys() {
                assert!(
                    name.starts_with(b"stay") || name.starts_with(b"go") || added.contains(name),
                    "returned a member that never existed: {name:?}"
                );
            }
        }
    }
}

#[test]
fn hscan_and_zscan_return_each_name_with_its_own_value_across_resizes() {
    let mut s = Store::new();
    let mut args: Vec<String> = vec!["HSET".into(), "h".into()];
    let mut zargs: Vec<String> = vec!["ZADD".into(), "z".into()];
    for i in 0..700 {
        args.push(format!("f{i}"));
        args.push(format!("v{i}"));
        zargs.push(format!("{}", f64::from(i) / 4.0));
        zargs.push(format!("m{i}"));
    }
    s.exec(0, C, &args.iter().map(String::as_str).collect::<Vec<_>>());
    s.exec(0, C, &zargs.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        s.exec(0, C, &["OBJECT", "ENCODING", "h"]),
        Reply::bulk("hashtable")
    );
    assert_eq!(
        s.exec(0, C, &["OBJECT", "ENCODING", "z"]),
        Reply::bulk("skiplist")
    );

    // Delete most of the fields mid-walk: the table shrinks under the cursor.
    let (seen, calls) = walk(&mut s, "HSCAN", "h", 5, |s, call| {
        if call == 3 {
            for i in 100..700 {
                s.exec(0, C, &["HDEL", "h", &format!("f{i}")]);
            }
        }
    });
    assert!(calls > 3);
    for i in 0..100 {
        assert_eq!(
            seen.get(format!("f{i}").as_bytes()),
            Some(&Some(format!("v{i}").into_bytes())),
            "f{i}"
        );
    }

    let (seen, _) = walk(&mut s, "ZSCAN", "z", 7, |_, _| {});
    assert_eq!(seen.len(), 700);
    assert_eq!(seen.get(&b"m3"[..]), Some(&Some(b"0.75".to_vec())));
    assert_eq!(seen.get(&b"m699"[..]), Some(&Some(b"174.75".to_vec())));
}

#[test]
fn a_small_encoding_answers_everything_at_once_whatever_the_cursor() {
    let mut s = Store::new();
    s.exec(0, C, &["SADD", "ints", "9", "1", "5"]);
    for cursor in ["0", "17", "18446744073709551615"] {
        let (next, items) = call(&mut s, "SSCAN", "ints", cursor, 1);
        assert_eq!(next, "0");
        assert_eq!(items, [b"1".to_vec(), b"5".to_vec(), b"9".to_vec()]);
    }
}

#[test]
fn scan_keeps_its_promise_while_keys_are_deleted_and_added() {
    // SCAN walks the keyspace's buckets with the same cursor: a key present
    // for the whole walk is returned even when others are deleted (which
    // used to move keys under a slot cursor) or added between calls.
    let mut s = Store::new();
    for i in 0..300 {
        s.exec(0, C, &["SET", &format!("stay{i}"), "v"]);
        s.exec(0, C, &["SET", &format!("go{i}"), "v"]);
    }
    let mut seen = BTreeSet::new();
    let mut cursor = "0".to_string();
    for call in 0..10_000 {
        let (next, keys) = match s.exec(0, C, &["SCAN", &cursor, "COUNT", "7"]) {
            Reply::Array(parts) => match parts.as_slice() {
                [c, Reply::Array(items)] => (
                    String::from_utf8(bytes(c)).expect("ASCII"),
                    items.iter().map(bytes).collect::<Vec<_>>(),
                ),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        };
        seen.extend(keys);
        if next == "0" {
            break;
        }
        cursor = next;
        // Two deletions for one addition: keys from the end of the store
        // get moved around, not only the ones just added.
        s.exec(0, C, &["DEL", &format!("go{}", (2 * call) % 300)]);
        s.exec(0, C, &["DEL", &format!("go{}", (2 * call + 1) % 300)]);
        if call % 2 == 0 {
            s.exec(0, C, &["SET", &format!("new{call}"), "v"]);
        }
    }
    for i in 0..300 {
        assert!(
            seen.contains(format!("stay{i}").as_bytes()),
            "stay{i} missed"
        );
    }
}
