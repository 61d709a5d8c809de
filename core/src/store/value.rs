//! The values a key can hold, one variant per Redis type the playground uses.
//!
//! Orders matter because replies are compared byte for byte with a real
//! server: a small Redis hash is a listpack that keeps insertion order (and
//! HDEL closes the gap), so [`Hash`] is an insertion-ordered map; a sorted set
//! is ordered by (score, member); a list is a deque; a small set of integers
//! is sorted (an intset, see [`Set`]).

use std::collections::VecDeque;

pub use super::types::set::Set;
pub use super::types::zset::ZSet;

/// Field → value, in insertion order (a listpack's order).
pub type Hash = indexmap::IndexMap<Vec<u8>, Vec<u8>>;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(Vec<u8>),
    Hash(Hash),
    List(VecDeque<Vec<u8>>),
    Set(Set),
    ZSet(ZSet),
}

/// Redis 7.0's default `hash-max-listpack-entries` (512, like
/// `set-max-intset-entries`; a differential test caught 128 here once).
pub const HASH_LISTPACK_MAX_ENTRIES: usize = 512;
/// Redis 7.0's default `zset-max-listpack-entries`.
pub const ZSET_LISTPACK_MAX_ENTRIES: usize = 128;
/// Redis 7.0's default `hash-max-listpack-value` and `zset-max-listpack-value`.
pub const LISTPACK_MAX_VALUE: usize = 64;

impl Value {
    /// A hash that no longer fits a listpack (more than 512 fields, or a
    /// field or value over 64 bytes). Sorted sets track their conversion
    /// themselves (`ZSet::is_skiplist`); strings and lists have no listpack.
    pub fn hash_outgrew_listpack(&self) -> bool {
        match self {
            Value::Hash(h) => {
                h.len() > HASH_LISTPACK_MAX_ENTRIES
                    || h.iter()
                        .any(|(k, v)| k.len() > LISTPACK_MAX_VALUE || v.len() > LISTPACK_MAX_VALUE)
            }
            _ => false,
        }
    }

    pub fn as_str(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// What the `TYPE` command answers.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::Hash(_) => "hash",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
        }
    }

    /// A rough estimate of the bytes Redis would use for the value, for
    /// `used_memory` and eviction. Not Redis's exact allocator figures:
    /// what matters is that bigger values cost more, in proportion.
    pub fn memory_estimate(&self) -> usize {
        // Per-element overhead of a small encoding (listpack entry header).
        const ELEM: usize = 11;
        match self {
            Value::Str(s) => 16 + s.len(),
            Value::Hash(h) => {
                24 + h
                    .iter()
                    .map(|(k, v)| k.len() + v.len() + 2 * ELEM)
                    .sum::<usize>()
            }
            Value::List(l) => 24 + l.iter().map(|e| e.len() + ELEM).sum::<usize>(),
            Value::Set(s) => 24 + s.bytes() + s.len() * ELEM,
            Value::ZSet(z) => 24 + z.memory_estimate(),
        }
    }

    /// A collection that became empty is deleted, as in Redis.
    pub fn is_empty_collection(&self) -> bool {
        match self {
            Value::Str(_) => false,
            Value::Hash(h) => h.is_empty(),
            Value::List(l) => l.is_empty(),
            Value::Set(s) => s.is_empty(),
            Value::ZSet(z) => z.is_empty(),
        }
    }
}
