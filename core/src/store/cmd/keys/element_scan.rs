//! `SSCAN`, `HSCAN` and `ZSCAN`: SCAN's cursor walk inside one key, as
//! Redis 7.0's `scanGenericCommand` runs it.
//!
//! A small encoding (intset, listpack) has no buckets to walk: Redis answers
//! every element at once with cursor 0, whatever COUNT says. A hashtable
//! (a big set or hash, a skiplist sorted set's dict) is walked the way
//! `dictScan` walks it: one bucket per step, the cursor advanced by
//! incrementing its bit-reversed value, so the walk still visits every
//! bucket once when the table grows or shrinks between calls. That is why a
//! real cursor looks like a random number, and why every element present
//! for the whole walk is returned.
//!
//! Redis's buckets follow a hash seeded at random per process, so its
//! cursors and order cannot be reproduced; here the buckets follow the
//! store's fixed hash, and the table size is Redis's (the power of two at
//! or above the element count, at least 4). A page replays the same walk.

use std::hash::Hasher;

use super::glob::string_match;
use super::scan::parse_cursor;
use crate::store::cmd::{not_an_integer, syntax_error, wrong_type, Ctx};
use crate::store::fast_hash::FastHasher;
use crate::store::int::parse_i64;
use crate::store::reply::Reply;
use crate::store::types::zset::format_score;
use crate::store::value::Value;

/// Which command: each scans its own type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Set,
    Hash,
    ZSet,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElementScan {
    kind: Kind,
    key: Vec<u8>,
    cursor: u64,
    /// The options, parsed only once the key is found (see `apply`).
    options: Vec<Vec<u8>>,
}

/// One element of the answer: a member, or a field or member with its value
/// or score.
pub(super) type Element = (Vec<u8>, Option<Vec<u8>>);

impl ElementScan {
    /// The cursor is checked first, before the key is looked up: a bad one
    /// is "invalid cursor" even for a missing key.
    pub fn parse_as(args: &[Vec<u8>], kind: Kind) -> Result<Self, Reply> {
        let cursor = args
            .get(2)
            .and_then(|c| parse_cursor(c))
            .ok_or_else(|| Reply::error("ERR invalid cursor"))?;
        Ok(ElementScan {
            kind,
            key: args.get(1).cloned().unwrap_or_default(),
            cursor,
            options: args.get(3..).map(<[_]>::to_vec).unwrap_or_default(),
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        // Redis looks the key up (a hit or a miss) and checks its type
        // before it reads the options: a missing key answers an empty walk
        // even with options that would be a syntax error.
        let Some(entry) = ctx.ks.lookup_read(&self.key, ctx.now) else {
            return answer(0, Vec::new());
        };
        let right_type = matches!(
            (self.kind, &entry.value),
            (Kind::Set, Value::Set(_))
                | (Kind::Hash, Value::Hash(_))
                | (Kind::ZSet, Value::ZSet(_))
        );
        if !right_type {
            return wrong_type();
        }
        let (count, pattern) = match parse_options(&self.options) {
            Ok(o) => o,
            Err(e) => return e,
        };
        let encoding = super::encoding(&entry.value, entry.built());
        let (next, mut found) = if matches!(encoding, "hashtable" | "skiplist") {
            walk_buckets(
                elements(&entry.value),
                self.cursor,
                count,
                self.kind != Kind::Set,
            )
        } else {
            (0, elements(&entry.value))
        };
        if let Some(p) = &pattern {
            found.retain(|(name, _)| string_match(p, name));
        }
        answer(next, found)
    }
}

/// `COUNT n` (at least 1; 10 by default) and `MATCH pattern` (`*` is no
/// filter), in any order, each as often as given (the last one counts).
/// TYPE belongs to SCAN alone: here it is a syntax error.
fn parse_options(options: &[Vec<u8>]) -> Result<(usize, Option<Vec<u8>>), Reply> {
    let mut count = 10;
    let mut pattern = None;
    let mut rest = options;
    while let Some((name, after)) = rest.split_first() {
        let Some((value, after)) = after.split_first() else {
            return Err(syntax_error());
        };
        match name.to_ascii_lowercase().as_slice() {
            b"count" => {
                let n = parse_i64(value).ok_or_else(not_an_integer)?;
                if n < 1 {
                    return Err(syntax_error());
                }
                count = usize::try_from(n).unwrap_or(usize::MAX);
            }
            b"match" => pattern = (value.as_slice() != b"*").then(|| value.clone()),
            _ => return Err(syntax_error()),
        }
        rest = after;
    }
    Ok((count, pattern))
}

/// Every element in the order the small encodings keep them: an intset
/// ascending, a listpack hash in insertion order, a sorted set by score.
fn elements(value: &Value) -> Vec<Element> {
    match value {
        Value::Set(s) => s.iter().map(|m| (m.to_vec(), None)).collect(),
        Value::Hash(h) => h
            .iter()
            .map(|(f, v)| (f.clone(), Some(v.clone())))
            .collect(),
        Value::ZSet(z) => z
            .iter()
            .map(|(m, s)| (m.to_vec(), Some(format_score(s).into_bytes())))
            .collect(),
        Value::Str(_) | Value::List(_) => Vec::new(),
    }
}

/// Redis's hashtable size for `len` elements: a power of two, at least 4.
fn table_size(len: usize) -> u64 {
    (len.max(4) as u64)
        .checked_next_power_of_two()
        .unwrap_or(1 << 63)
}

fn bucket_of(name: &[u8], mask: u64) -> u64 {
    let mut h = FastHasher::default();
    h.write(name);
    h.finish() & mask
}

/// `dictScan`'s step: the next cursor after visiting bucket `cursor & mask`.
/// Setting the bits above the mask before the reversed increment carries
/// the increment past them, so the cursor wraps to 0 after the last bucket.
fn next_cursor(cursor: u64, mask: u64) -> u64 {
    let v = (cursor | !mask).reverse_bits().wrapping_add(1);
    v.reverse_bits()
}

/// The hashtable walk of `scanGenericCommand`: visit whole buckets until
/// the walk ends (cursor 0), `count` elements are found, or `count * 10`
/// more steps were taken (so a sparse table cannot stall a call). For a
/// hash or sorted set Redis doubles COUNT first, because it counts fields
/// and values (members and scores) separately; the step limit doubles too.
pub(super) fn walk_buckets(
    all: Vec<Element>,
    cursor: u64,
    count: usize,
    pairs: bool,
) -> (u64, Vec<Element>) {
    let mask = table_size(all.len()) - 1;
    let Ok(buckets_len) = usize::try_from(mask + 1) else {
        return (0, Vec::new());
    };
    let mut buckets: Vec<Vec<Element>> = vec![Vec::new(); buckets_len];
    for e in all {
        let b = bucket_of(&e.0, mask) as usize;
        if let Some(bucket) = buckets.get_mut(b) {
            bucket.push(e);
        }
    }
    let count = if pairs {
        count.saturating_mul(2)
    } else {
        count
    };
    let per_element = if pairs { 2 } else { 1 };
    let mut steps_left = count.saturating_mul(10);
    let mut cursor = cursor;
    let mut found = Vec::new();
    loop {
        if let Some(bucket) = buckets.get_mut((cursor & mask) as usize) {
            found.append(bucket);
        }
        cursor = next_cursor(cursor, mask);
        // `while (cursor && maxiterations-- && listLength(keys) < count)`
        if cursor == 0 || steps_left == 0 || found.len() * per_element >= count {
            break;
        }
        steps_left -= 1;
    }
    (cursor, found)
}

fn answer(cursor: u64, found: Vec<Element>) -> Reply {
    let mut items = Vec::with_capacity(found.len() * 2);
    for (name, value) in found {
        items.push(Reply::bulk(name));
        if let Some(v) = value {
            items.push(Reply::bulk(v));
        }
    }
    Reply::Array(vec![Reply::bulk(cursor.to_string()), Reply::Array(items)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every bucket of a table is visited once, in reverse-binary order,
    /// and the walk ends at 0.
    #[test]
    fn the_cursor_visits_every_bucket_once() {
        for size in [4u64, 8, 64] {
            let mask = size - 1;
            let mut seen = Vec::new();
            let mut c = 0;
            loop {
                seen.push(c & mask);
                c = next_cursor(c, mask);
                if c == 0 {
                    break;
                }
            }
            let mut sorted = seen.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..size).collect::<Vec<_>>(), "size {size}");
        }
        // Redis's sequence for 8 buckets: 0 4 2 6 1 5 3 7.
        let mut c = 0;
        let mut order = vec![0];
        while {
            c = next_cursor(c, 7);
            c != 0
        } {
            order.push(c);
        }
        assert_eq!(order, [0, 4, 2, 6, 1, 5, 3, 7]);
    }

    /// A cursor from a smaller table still works in a bigger one (and the
    /// other way): the buckets it has visited are exactly the ones whose
    /// low bits it has passed, so no element is missed.
    #[test]
    fn a_walk_across_a_resize_misses_nothing() {
        let names: Vec<Vec<u8>> = (0..40).map(|i| format!("m{i}").into_bytes()).collect();
        let small: Vec<Element> = names.iter().take(8).map(|n| (n.clone(), None)).collect();
        let big: Vec<Element> = names.iter().map(|n| (n.clone(), None)).collect();
        // Two steps in the 8-bucket table, the rest in the 64-bucket one.
        let (c, mut got) = walk_buckets(small, 0, 1, false);
        assert_ne!(c, 0);
        let mut cursor = c;
        while cursor != 0 {
            let (c, more) = walk_buckets(big.clone(), cursor, 3, false);
            got.extend(more);
            cursor = c;
        }
        for n in names.iter().take(8) {
            assert!(got.iter().any(|(g, _)| g == n), "{:?} missed", n);
        }
    }

    #[test]
    fn options_follow_redis() {
        let v = |s: &[&str]| s.iter().map(|a| a.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(parse_options(&[]), Ok((10, None)));
        assert_eq!(
            parse_options(&v(&["MATCH", "a*", "count", "3"])),
            Ok((3, Some(b"a*".to_vec())))
        );
        assert_eq!(parse_options(&v(&["match", "*"])), Ok((10, None)));
        assert_eq!(parse_options(&v(&["COUNT", "0"])), Err(syntax_error()));
        assert_eq!(parse_options(&v(&["COUNT", "x"])), Err(not_an_integer()));
        assert_eq!(parse_options(&v(&["TYPE", "set"])), Err(syntax_error()));
        assert_eq!(parse_options(&v(&["COUNT"])), Err(syntax_error()));
    }
}
