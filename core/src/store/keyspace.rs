//! The keyspace: keys, their values and optional expiry times, with Redis's
//! passive expiry applied on every access.

use std::collections::HashMap;

use crate::time::Millis;

/// A value stored under a key. Only strings so far; the store grows the other
/// Redis types here, and commands answer WRONGTYPE from [`Value::as_str`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Str(Vec<u8>),
}

impl Value {
    pub fn as_str(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s),
        }
    }

    /// What the `TYPE` command would answer.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub value: Value,
    /// Absolute virtual time after which the key is logically gone.
    pub expire_at: Option<Millis>,
}

impl Entry {
    /// Redis deletes a key on access only when `now > expire_at`: at exactly
    /// `expire_at` it is still readable (with a PTTL of 0).
    pub fn is_expired(&self, now: Millis) -> bool {
        matches!(self.expire_at, Some(at) if now > at)
    }
}

/// How a key came to be deleted by expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpiryKind {
    /// Found expired when a command touched it.
    Passive,
}

/// Something that happened to a key, for the UI to animate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyEvent {
    Set {
        key: Vec<u8>,
        at: Millis,
    },
    Deleted {
        key: Vec<u8>,
        at: Millis,
    },
    Expired {
        key: Vec<u8>,
        at: Millis,
        kind: ExpiryKind,
    },
}

/// Counters with the names Redis's INFO uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyspaceStats {
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub expired_keys: u64,
}

/// Events are kept for the UI to drain; past this many the oldest are dropped
/// so a page nobody drains cannot grow without bound.
const MAX_PENDING_EVENTS: usize = 10_000;

#[derive(Debug, Default)]
pub struct Keyspace {
    map: HashMap<Vec<u8>, Entry>,
    pub stats: KeyspaceStats,
    events: Vec<KeyEvent>,
    /// Bumped on every change, so a viewer can skip re-reading an unchanged keyspace.
    version: u64,
}

impl Keyspace {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a key for a read command: expires it if due, counts a hit or a miss.
    pub fn lookup_read(&mut self, key: &[u8], now: Millis) -> Option<&Entry> {
        self.expire_if_due(key, now);
        match self.map.get(key) {
            Some(e) => {
                self.stats.keyspace_hits += 1;
                Some(e)
            }
            None => {
                self.stats.keyspace_misses += 1;
                None
            }
        }
    }

    /// Reads a key for a write command: expires it if due, counts nothing.
    pub fn lookup_write(&mut self, key: &[u8], now: Millis) -> Option<&mut Entry> {
        self.expire_if_due(key, now);
        self.map.get_mut(key)
    }

    /// Stores a value. Without `keep_ttl` the old TTL is dropped, as `SET` does.
    pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool, now: Millis) {
        let expire_at = if keep_ttl {
            self.map.get(key).and_then(|e| e.expire_at)
        } else {
            None
        };
        self.map.insert(key.to_vec(), Entry { value, expire_at });
        self.touch(KeyEvent::Set {
            key: key.to_vec(),
            at: now,
        });
    }

    /// Replaces the value of an existing key, keeping its TTL (INCR's way).
    /// Returns false when the key is absent.
    pub fn replace_value(&mut self, key: &[u8], value: Value, now: Millis) -> bool {
        match self.map.get_mut(key) {
            Some(e) => {
                e.value = value;
                self.touch(KeyEvent::Set {
                    key: key.to_vec(),
                    at: now,
                });
                true
            }
            None => false,
        }
    }

    /// Sets or clears the expiry of an existing key.
    pub fn set_expire(&mut self, key: &[u8], expire_at: Option<Millis>) {
        if let Some(e) = self.map.get_mut(key) {
            e.expire_at = expire_at;
            self.version += 1;
        }
    }

    /// Deletes a live key (expiring it first if due). Returns whether a live key was deleted.
    pub fn delete(&mut self, key: &[u8], now: Millis) -> bool {
        self.expire_if_due(key, now);
        if self.map.remove(key).is_some() {
            self.touch(KeyEvent::Deleted {
                key: key.to_vec(),
                at: now,
            });
            true
        } else {
            false
        }
    }

    /// Looks without touching: no expiry, no stats. For viewers, which must
    /// not change what they observe (a real Redis keeps an expired key in
    /// memory until something accesses it).
    pub fn peek(&self, key: &[u8]) -> Option<&Entry> {
        self.map.get(key)
    }

    /// Every key still in memory, expired-but-unreclaimed ones included, as
    /// `DBSIZE` counts them.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &Entry)> {
        self.map.iter()
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    /// Hands over the events recorded since the last call.
    pub fn drain_events(&mut self) -> Vec<KeyEvent> {
        std::mem::take(&mut self.events)
    }

    fn expire_if_due(&mut self, key: &[u8], now: Millis) {
        let due = self.map.get(key).is_some_and(|e| e.is_expired(now));
        if due {
            self.map.remove(key);
            self.stats.expired_keys += 1;
            self.touch(KeyEvent::Expired {
                key: key.to_vec(),
                at: now,
                kind: ExpiryKind::Passive,
            });
        }
    }

    fn touch(&mut self, event: KeyEvent) {
        self.version += 1;
        if self.events.len() >= MAX_PENDING_EVENTS {
            self.events.remove(0);
        }
        self.events.push(event);
    }
}
