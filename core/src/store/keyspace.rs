//! The keyspace: keys, their values and optional expiry times, with Redis's
//! passive expiry applied on every access.
//!
//! Layout, and why: entries live in a dense `Vec` (a slab) with a map from
//! key to slot, so that a uniformly random key is one index away, as eviction
//! sampling, RANDOMKEY and the classic expiry cycle need. Deleting swaps the
//! last slot into the hole, so the slab stays dense; the moved entry's back
//! pointers are fixed in the same step.
//!
//! Keys with a TTL are also listed in a second `Vec` (the `expires` dict of
//! Redis) that the active expiry cycle walks with a persistent cursor. That
//! list keeps its order: a removal leaves a hole (compacted once holes are
//! the majority), because moving a key into the cursor's path would make
//! the cycle look at keys it has just seen, and sweep slower than Redis,
//! whose hash-table scan never revisits a bucket within one pass.
//!
//! Expiry times may only change through [`Keyspace::set_expire`] and friends,
//! which keep the TTL list right: `Entry` does not expose a setter.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use super::config::notify;
use super::fast_hash::FastMap;
use super::short_key::ShortKey;
pub use super::value::Value;
use crate::rng::Rng;
use crate::time::Millis;

/// Redis's initial LFU counter for a new key (`LFU_INIT_VAL`), so a new key is
/// not the first to go.
pub const LFU_INIT_VAL: u8 = 5;

/// What a value's bytes cannot tell about its Redis encoding (`OBJECT
/// ENCODING`), because Redis decides it by the value's history.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Built {
    /// Stored whole (SET, INCR, HSET on a new key…): the encoding follows
    /// from the content.
    #[default]
    Whole,
    /// A string grown in place by APPEND: Redis made it `raw` to append.
    InPlace,
    /// A string INCRBYFLOAT wrote: Redis stores the text it printed, never
    /// as `int`, even when it reads "3".
    FromFloat,
    /// A hash that outgrew its listpack: Redis never converts it back,
    /// however small it becomes. (A sorted set keeps this itself.)
    Grown,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub value: Value,
    /// See [`Built`]; reset whenever a command stores a whole new value.
    built: Built,
    expire_at: Option<Millis>,
    /// Last access (reads and writes), for LRU and `OBJECT IDLETIME`.
    last_access: Millis,
    /// Logarithmic access counter, for LFU and `OBJECT FREQ`.
    lfu_counter: u8,
    /// Whole minutes (virtual) of the last LFU decay.
    lfu_decay_minutes: u64,
    /// Memory estimate at the last refresh (see [`Keyspace::refresh_size`]).
    size: usize,
    /// Position in the TTL list when `expire_at` is set.
    ttl_pos: Option<usize>,
}

impl Entry {
    /// Redis deletes a key on access only when `now > expire_at`: at exactly
    /// `expire_at` it is still readable (with a PTTL of 0).
    pub fn is_expired(&self, now: Millis) -> bool {
        matches!(self.expire_at, Some(at) if now > at)
    }

    /// Absolute virtual time after which the key is logically gone.
    pub fn expire_at(&self) -> Option<Millis> {
        self.expire_at
    }

    pub fn last_access(&self) -> Millis {
        self.last_access
    }

    pub fn lfu_counter(&self) -> u8 {
        self.lfu_counter
    }

    pub fn size(&self) -> usize {
        self.size
    }

    pub fn built(&self) -> Built {
        self.built
    }

    /// For the commands that change a value in a way its content does not
    /// show (APPEND, INCRBYFLOAT); call after storing the value.
    pub fn mark_built(&mut self, built: Built) {
        self.built = built;
    }
}

/// How a key came to be deleted by expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpiryKind {
    /// Found expired when a command touched it.
    Passive,
    /// Found by the active expiry cycle.
    Active,
}

/// Something that happened to a key, for the UI to animate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyEvent {
    Set {
        key: ShortKey,
        at: Millis,
    },
    Deleted {
        key: ShortKey,
        at: Millis,
    },
    Expired {
        key: ShortKey,
        at: Millis,
        kind: ExpiryKind,
    },
    Evicted {
        key: ShortKey,
        at: Millis,
    },
}

impl KeyEvent {
    /// The key the event is about.
    pub fn key(&self) -> &[u8] {
        match self {
            KeyEvent::Set { key, .. }
            | KeyEvent::Deleted { key, .. }
            | KeyEvent::Expired { key, .. }
            | KeyEvent::Evicted { key, .. } => key,
        }
    }
}

/// Counters with the names Redis's INFO uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyspaceStats {
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub expired_keys: u64,
    pub evicted_keys: u64,
}

/// How accesses are tracked: Redis keeps either an LRU clock or an LFU
/// counter per key, depending on `maxmemory-policy`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LfuParams {
    pub enabled: bool,
    pub log_factor: u32,
    pub decay_minutes: u64,
}

/// Events are kept for the UI to drain; past this many the oldest are dropped
/// so a page nobody drains cannot grow without bound.
const MAX_PENDING_EVENTS: usize = 10_000;

/// No hint: [`Keyspace::find`] must ask the index.
const NO_HINT: usize = usize::MAX;

/// Longer keys are not copied into the hint (they are rare and costly to copy).
const HINT_KEY_MAX: usize = 128;

/// Fixed cost per key on top of key and value (dict entry, object header).
const KEY_OVERHEAD: usize = 56;

#[derive(Debug)]
struct Slot {
    key: Vec<u8>,
    entry: Entry,
}

#[derive(Debug)]
pub struct Keyspace {
    slots: Vec<Slot>,
    index: FastMap<ShortKey, usize>,
    /// The slot of the last key found, and a copy of that key. A command
    /// looks its key up several times (expiry check, read, write, size
    /// refresh); comparing with this warm copy is cheaper than hashing
    /// again, and than comparing with the slot's own key, which lives in
    /// another (cold) allocation. Reset whenever slots move (removal).
    hint: Cell<usize>,
    hint_key: RefCell<Vec<u8>>,
    /// Slot numbers of the keys that have a TTL, in the order they got it;
    /// `None` is a hole left by a removal.
    ttl_list: Vec<Option<usize>>,
    ttl_holes: usize,
    /// Where the active expiry cycle resumes (an index into `ttl_list`).
    ttl_cursor: usize,
    pub stats: KeyspaceStats,
    events: VecDeque<KeyEvent>,
    /// The classes of keyspace notifications to record (`notify-keyspace-
    /// events`, [`notify`](super::config::notify) flags; none unless it
    /// also names a channel, K or E), and the recorded ones: the event's
    /// name and the key, until the store publishes them.
    pub notify_classes: u32,
    pub notifications: Vec<(&'static str, Vec<u8>)>,
    /// Bumped on every change, so a viewer can skip re-reading an unchanged keyspace.
    version: u64,
    used_memory: usize,
    lfu: LfuParams,
    rng: Rng,
}

impl Default for Keyspace {
    fn default() -> Self {
        Keyspace {
            slots: Vec::new(),
            index: FastMap::default(),
            hint: Cell::new(NO_HINT),
            hint_key: RefCell::new(Vec::new()),
            ttl_list: Vec::new(),
            ttl_holes: 0,
            ttl_cursor: 0,
            stats: KeyspaceStats::default(),
            events: VecDeque::new(),
            notify_classes: 0,
            notifications: Vec::new(),
            version: 0,
            used_memory: 0,
            lfu: LfuParams {
                enabled: false,
                log_factor: 10,
                decay_minutes: 1,
            },
            rng: Rng::new(0x5EED_1FC0),
        }
    }
}

impl Keyspace {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set_lfu(&mut self, lfu: LfuParams) {
        self.lfu = lfu;
    }

    /// Reads a key for a read command: expires it if due, counts a hit or a
    /// miss, records the access.
    pub fn lookup_read(&mut self, key: &[u8], now: Millis) -> Option<&Entry> {
        match self.find_live(key, now) {
            Some(i) => {
                self.stats.keyspace_hits += 1;
                self.record_access(i, now);
                self.slots.get(i).map(|s| &s.entry)
            }
            None => {
                self.record_miss(key);
                None
            }
        }
    }

    /// A read that found nothing: counted in INFO, and announced as
    /// `keymiss` (the `m` class) where Redis's `lookupKey` announces it.
    pub fn record_miss(&mut self, key: &[u8]) {
        self.stats.keyspace_misses += 1;
        self.notify(notify::KEY_MISS, "keymiss", key);
    }

    /// Reads a key for a write command: expires it if due, records the
    /// access, counts no hit or miss. Code that changes the value through the
    /// returned reference must let the size be refreshed afterwards (the
    /// store does so for every key argument of the command).
    pub fn lookup_write(&mut self, key: &[u8], now: Millis) -> Option<&mut Entry> {
        let i = self.find_live(key, now)?;
        self.record_access(i, now);
        self.version += 1;
        self.slots.get_mut(i).map(|s| &mut s.entry)
    }

    /// Whether a live key exists, without counting a hit or miss or recording
    /// an access (EXISTS-style checks inside other commands).
    pub fn contains(&mut self, key: &[u8], now: Millis) -> bool {
        self.find_live(key, now).is_some()
    }

    /// Stores a value. Without `keep_ttl` the old TTL is dropped, as `SET` does.
    pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool, now: Millis) {
        let size = entry_size(key, &value);
        match self.find(key) {
            Some(i) => {
                if !keep_ttl {
                    self.clear_ttl(i);
                }
                if let Some(s) = self.slots.get_mut(i) {
                    self.used_memory = self.used_memory.saturating_sub(s.entry.size) + size;
                    s.entry.value = value;
                    s.entry.size = size;
                    s.entry.built = Built::Whole;
                }
                self.record_access(i, now);
            }
            None => {
                let i = self.slots.len();
                self.slots.push(Slot {
                    key: key.to_vec(),
                    entry: Entry {
                        value,
                        built: Built::Whole,
                        expire_at: None,
                        last_access: now,
                        lfu_counter: LFU_INIT_VAL,
                        lfu_decay_minutes: now / 60_000,
                        size,
                        ttl_pos: None,
                    },
                });
                self.index.insert(ShortKey::new(key), i);
                self.set_hint(i, key);
                self.used_memory += size;
                // Redis's dbAdd: before the command's own event.
                self.notify(notify::NEW, "new", key);
            }
        }
        self.touch(key, |key| KeyEvent::Set { key, at: now });
    }

    /// Replaces the value of an existing key, keeping its TTL (INCR's way).
    /// Returns false when the key is absent.
    pub fn replace_value(&mut self, key: &[u8], value: Value, now: Millis) -> bool {
        let Some(i) = self.find(key) else {
            return false;
        };
        let size = entry_size(key, &value);
        if let Some(s) = self.slots.get_mut(i) {
            self.used_memory = self.used_memory.saturating_sub(s.entry.size) + size;
            s.entry.value = value;
            s.entry.size = size;
            s.entry.built = Built::Whole;
        }
        self.touch(key, |key| KeyEvent::Set { key, at: now });
        true
    }

    /// Rewrites the string value of an existing key in place, keeping its
    /// TTL (INCR on a counter that exists: its bytes are reused rather than
    /// a new value allocated). Returns false when the key is absent or not
    /// a string.
    pub fn rewrite_str(
        &mut self,
        key: &[u8],
        now: Millis,
        write: impl FnOnce(&mut Vec<u8>),
    ) -> bool {
        let Some(s) = self.find(key).and_then(|i| self.slots.get_mut(i)) else {
            return false;
        };
        let Value::Str(bytes) = &mut s.entry.value else {
            return false;
        };
        write(bytes);
        let size = entry_size(key, &s.entry.value);
        self.used_memory = self.used_memory.saturating_sub(s.entry.size) + size;
        s.entry.size = size;
        s.entry.built = Built::Whole;
        self.touch(key, |key| KeyEvent::Set { key, at: now });
        true
    }

    /// Records how an existing key's value was built (see [`Built`]),
    /// without counting an access: for a command that stored it just before.
    pub fn mark_built(&mut self, key: &[u8], built: Built) {
        if let Some(s) = self.find(key).and_then(|i| self.slots.get_mut(i)) {
            s.entry.built = built;
        }
    }

    /// Sets or clears the expiry of an existing key. Returns false when absent.
    pub fn set_expire(&mut self, key: &[u8], expire_at: Option<Millis>) -> bool {
        let Some(i) = self.find(key) else {
            return false;
        };
        match expire_at {
            None => self.clear_ttl(i),
            Some(at) => {
                let Some(s) = self.slots.get_mut(i) else {
                    return false;
                };
                s.entry.expire_at = Some(at);
                if s.entry.ttl_pos.is_none() {
                    s.entry.ttl_pos = Some(self.ttl_list.len());
                    self.ttl_list.push(Some(i));
                }
            }
        }
        self.version += 1;
        true
    }

    /// Deletes a live key (expiring it first if due). Returns whether a live key was deleted.
    pub fn delete(&mut self, key: &[u8], now: Millis) -> bool {
        self.expire_if_due(key, now);
        if self.remove(key).is_some() {
            self.touch(key, |key| KeyEvent::Deleted { key, at: now });
            true
        } else {
            false
        }
    }

    /// Deletes a key as it stands, without checking its expiry first
    /// (Redis's bare `dbDelete`, which SINTERSTORE & co. call for an empty
    /// result): an expired key goes too, and is not counted as expired.
    pub fn delete_as_is(&mut self, key: &[u8], now: Millis) -> bool {
        if self.remove(key).is_some() {
            self.touch(key, |key| KeyEvent::Deleted { key, at: now });
            true
        } else {
            false
        }
    }

    /// Removes a key and hands back its entry, with no event (RENAME moves
    /// entries this way). Expiry is not checked.
    pub fn take(&mut self, key: &[u8]) -> Option<Entry> {
        let e = self.remove(key)?;
        self.version += 1;
        Some(e)
    }

    /// Puts an entry taken with [`take`](Self::take) under a new key, with
    /// its TTL, replacing whatever was there.
    pub fn put(&mut self, key: &[u8], entry: Entry, now: Millis) {
        let expire_at = entry.expire_at;
        self.remove(key);
        self.set(key, entry.value, false, now);
        if let Some(i) = self.find(key) {
            if let Some(s) = self.slots.get_mut(i) {
                s.entry.last_access = entry.last_access;
                s.entry.lfu_counter = entry.lfu_counter;
                s.entry.built = entry.built;
            }
        }
        if expire_at.is_some() {
            self.set_expire(key, expire_at);
        }
    }

    /// Records a keyspace notification, as Redis's `notifyKeyspaceEvent`
    /// is called, if its class is asked for: `event` happened to `key`.
    pub fn notify(&mut self, class: u32, event: &'static str, key: &[u8]) {
        if self.notify_classes & class != 0 {
            self.notifications.push((event, key.to_vec()));
        }
    }

    /// Deletes a key because it is expired (`kind` says who found it).
    pub fn expire_key(&mut self, key: &[u8], now: Millis, kind: ExpiryKind) -> bool {
        if self.remove(key).is_some() {
            self.stats.expired_keys += 1;
            self.notify(notify::EXPIRED, "expired", key);
            self.touch(key, |key| KeyEvent::Expired { key, at: now, kind });
            true
        } else {
            false
        }
    }

    /// Deletes a key to free memory.
    pub fn evict(&mut self, key: &[u8], now: Millis) -> bool {
        if self.remove(key).is_some() {
            self.stats.evicted_keys += 1;
            self.notify(notify::EVICTED, "evicted", key);
            self.touch(key, |key| KeyEvent::Evicted { key, at: now });
            true
        } else {
            false
        }
    }

    /// FLUSHDB: everything goes, no events per key.
    pub fn clear(&mut self) {
        self.slots.clear();
        self.index.clear();
        self.hint.set(NO_HINT);
        self.ttl_list.clear();
        self.ttl_holes = 0;
        self.ttl_cursor = 0;
        self.used_memory = 0;
        self.version += 1;
    }

    /// Recomputes a key's memory estimate after its value changed in place.
    /// Deletes a collection that became empty, as Redis does.
    pub fn refresh_size(&mut self, key: &[u8], now: Millis) {
        // One lookup for both questions (it was three: this runs after
        // every write, for every key the command named).
        let Some(i) = self.find(key) else {
            return;
        };
        let Some(s) = self.slots.get_mut(i) else {
            return;
        };
        if s.entry.value.is_empty_collection() {
            self.delete_if_empty(key, now);
            return;
        }
        let size = entry_size(key, &s.entry.value);
        self.used_memory = self.used_memory.saturating_sub(s.entry.size) + size;
        s.entry.size = size;
        // Checked after every write that named the key, which is where
        // Redis converts: one-way, so a grown hash is not looked at again
        // (and a listpack one has at most 512 fields to look at).
        if s.entry.built != Built::Grown && s.entry.value.hash_outgrew_listpack() {
            s.entry.built = Built::Grown;
        }
    }

    /// Deletes `key` if it holds a collection a command has just emptied
    /// (Redis deletes it in the command itself), with the `del` Redis
    /// announces then. Every command that removes elements ends with this,
    /// and the store's refresh after each write catches any other.
    pub fn delete_if_empty(&mut self, key: &[u8], now: Millis) -> bool {
        let empty = self
            .peek(key)
            .is_some_and(|e| e.value.is_empty_collection());
        if empty {
            self.remove(key);
            self.touch(key, |key| KeyEvent::Deleted { key, at: now });
            self.notify(notify::GENERIC, "del", key);
        }
        empty
    }

    /// Looks without touching: no expiry, no stats. For viewers, which must
    /// not change what they observe (a real Redis keeps an expired key in
    /// memory until something accesses it).
    pub fn peek(&self, key: &[u8]) -> Option<&Entry> {
        self.find(key)
            .and_then(|i| self.slots.get(i))
            .map(|s| &s.entry)
    }

    /// The slot holding `key`: the hint first, then the index.
    #[inline]
    fn find(&self, key: &[u8]) -> Option<usize> {
        let hint = self.hint.get();
        if hint != NO_HINT && self.hint_key.borrow().as_slice() == key {
            return Some(hint);
        }
        let i = self.index.get(key).copied()?;
        self.set_hint(i, key);
        Some(i)
    }

    fn set_hint(&self, i: usize, key: &[u8]) {
        if key.len() > HINT_KEY_MAX {
            self.hint.set(NO_HINT);
            return;
        }
        let mut k = self.hint_key.borrow_mut();
        k.clear();
        k.extend_from_slice(key);
        self.hint.set(i);
    }

    /// Every key still in memory, expired-but-unreclaimed ones included, as
    /// `DBSIZE` counts them.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Keys with a TTL (the `expires=` of INFO keyspace).
    pub fn volatile_len(&self) -> usize {
        self.ttl_list.len() - self.ttl_holes
    }

    /// Sum of the per-key memory estimates.
    pub fn used_memory(&self) -> usize {
        self.used_memory
    }

    /// All keys in slot order (stable between changes; SCAN walks it).
    pub fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &Entry)> {
        self.slots.iter().map(|s| (&s.key, &s.entry))
    }

    /// The key in slot `i` (for cursors and random sampling).
    pub fn slot(&self, i: usize) -> Option<(&[u8], &Entry)> {
        self.slots.get(i).map(|s| (s.key.as_slice(), &s.entry))
    }

    /// The key with a TTL at position `i` of the TTL list (`None` for a hole).
    pub fn volatile_slot(&self, i: usize) -> Option<(&[u8], &Entry)> {
        self.ttl_list
            .get(i)
            .copied()
            .flatten()
            .and_then(|s| self.slot(s))
    }

    /// The next key with a TTL at the expiry cursor, which then moves past
    /// it (wrapping at the end). Returns the key and its expiry time.
    pub fn volatile_cursor_next(&mut self) -> Option<(Vec<u8>, Option<Millis>)> {
        if self.volatile_len() == 0 {
            return None;
        }
        // At most one full turn: there is at least one live entry.
        for _ in 0..=self.ttl_list.len() {
            if self.ttl_cursor >= self.ttl_list.len() {
                self.ttl_cursor = 0;
            }
            let at = self.ttl_cursor;
            self.ttl_cursor += 1;
            if let Some((key, entry)) = self.volatile_slot(at) {
                return Some((key.to_vec(), entry.expire_at));
            }
        }
        None
    }

    /// A uniformly random key in memory (expired ones included, as Redis's
    /// dictGetRandomKey sees them).
    pub fn random_slot(&mut self, rng: &mut Rng) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        Some(rng.up_to(self.slots.len() as u64 - 1) as usize)
    }

    /// A uniformly random position of a key that has a TTL (for
    /// [`volatile_slot`](Self::volatile_slot)).
    pub fn random_volatile(&mut self, rng: &mut Rng) -> Option<usize> {
        if self.volatile_len() == 0 {
            return None;
        }
        // Holes are at most half the list (see `compact_ttl_list`), so this
        // rarely takes more than two tries.
        for _ in 0..64 {
            let i = rng.up_to(self.ttl_list.len() as u64 - 1) as usize;
            if matches!(self.ttl_list.get(i), Some(Some(_))) {
                return Some(i);
            }
        }
        self.ttl_list.iter().position(Option::is_some)
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    /// Hands over the events recorded since the last call.
    pub fn drain_events(&mut self) -> Vec<KeyEvent> {
        self.events.drain(..).collect()
    }

    /// The slot of `key` if it is live at `now`, expiring it first if it
    /// is due (Redis's `expireIfNeeded` in `lookupKey`): one lookup where
    /// `expire_if_due` and then `find` made two, on every command's key.
    fn find_live(&mut self, key: &[u8], now: Millis) -> Option<usize> {
        let i = self.find(key)?;
        if self.slots.get(i).is_some_and(|s| s.entry.is_expired(now)) {
            self.expire_key(key, now, ExpiryKind::Passive);
            return None;
        }
        Some(i)
    }

    /// Deletes `key` if its TTL has passed (passive expiry). Returns whether
    /// it did.
    pub fn expire_if_due(&mut self, key: &[u8], now: Millis) -> bool {
        let due = self.peek(key).is_some_and(|e| e.is_expired(now));
        if due {
            self.expire_key(key, now, ExpiryKind::Passive);
        }
        due
    }

    fn record_access(&mut self, i: usize, now: Millis) {
        let lfu = self.lfu;
        let Some(s) = self.slots.get_mut(i) else {
            return;
        };
        s.entry.last_access = now;
        if lfu.enabled {
            // Redis: decay by one per `lfu-decay-time` minutes idle, then a
            // logarithmic increment (likelier while the counter is low).
            let minutes = now / 60_000;
            if let Some(periods) = minutes
                .saturating_sub(s.entry.lfu_decay_minutes)
                .checked_div(lfu.decay_minutes)
            {
                s.entry.lfu_counter = s.entry.lfu_counter.saturating_sub(periods.min(255) as u8);
            }
            s.entry.lfu_decay_minutes = minutes;
            let c = s.entry.lfu_counter;
            if c < 255 {
                let r = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                let base = f64::from(c.saturating_sub(LFU_INIT_VAL));
                let p = 1.0 / (base * f64::from(lfu.log_factor) + 1.0);
                if r < p {
                    s.entry.lfu_counter = c + 1;
                }
            }
        }
    }

    fn clear_ttl(&mut self, i: usize) {
        let Some(pos) = self.slots.get_mut(i).and_then(|s| {
            s.entry.expire_at = None;
            s.entry.ttl_pos.take()
        }) else {
            return;
        };
        if let Some(cell) = self.ttl_list.get_mut(pos) {
            *cell = None;
            self.ttl_holes += 1;
        }
        self.compact_ttl_list();
    }

    /// Drops the holes once they are most of the list, keeping the order
    /// and the cursor's place in it.
    fn compact_ttl_list(&mut self) {
        if self.ttl_holes <= 64 || self.ttl_holes * 2 <= self.ttl_list.len() {
            return;
        }
        let cursor = self
            .ttl_list
            .iter()
            .take(self.ttl_cursor)
            .filter(|c| c.is_some())
            .count();
        let live: Vec<usize> = self.ttl_list.iter().filter_map(|c| *c).collect();
        for (pos, &slot) in live.iter().enumerate() {
            if let Some(s) = self.slots.get_mut(slot) {
                s.entry.ttl_pos = Some(pos);
            }
        }
        self.ttl_list = live.into_iter().map(Some).collect();
        self.ttl_holes = 0;
        self.ttl_cursor = cursor;
    }

    /// Unlinks a key from both lists, keeping them dense.
    fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let i = self.index.remove(key)?;
        // Slots are about to move: the hint may no longer be right.
        self.hint.set(NO_HINT);
        // The entry handed back keeps its expiry (RENAME moves it along).
        let expire_at = self.slots.get(i).and_then(|s| s.entry.expire_at);
        self.clear_ttl(i);
        let last = self.slots.len().checked_sub(1)?;
        let slot = self.slots.swap_remove(i);
        if i != last {
            // The former last slot now lives at `i`: repoint its index entry
            // and its TTL-list entry.
            if let Some(moved) = self.slots.get(i) {
                if let Some(ix) = self.index.get_mut(moved.key.as_slice()) {
                    *ix = i;
                }
                if let Some(pos) = moved.entry.ttl_pos {
                    if let Some(t) = self.ttl_list.get_mut(pos) {
                        *t = Some(i);
                    }
                }
            }
        }
        self.used_memory = self.used_memory.saturating_sub(slot.entry.size);
        let mut entry = slot.entry;
        entry.expire_at = expire_at;
        Some(entry)
    }

    /// Records a key event. When the buffer is full (nobody drains it), the
    /// oldest event falls off and its key buffer carries the new key, so an
    /// undrained store does not allocate and free a key on every write.
    fn touch(&mut self, key: &[u8], make: impl FnOnce(ShortKey) -> KeyEvent) {
        self.version += 1;
        if self.events.len() >= MAX_PENDING_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back(make(ShortKey::new(key)));
    }
}

fn entry_size(key: &[u8], value: &Value) -> usize {
    KEY_OVERHEAD + key.len() + value.memory_estimate()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.as_bytes().to_vec())
    }

    /// The slab, the index and the TTL list must agree after any sequence of
    /// sets, expiries and deletes.
    fn check_invariants(ks: &Keyspace) {
        assert_eq!(ks.index.len(), ks.slots.len());
        if ks.hint.get() != NO_HINT {
            assert_eq!(
                ks.slots.get(ks.hint.get()).map(|s| s.key.as_slice()),
                Some(ks.hint_key.borrow().as_slice()),
                "the hint names the slot of its key"
            );
        }
        for (i, slot) in ks.slots.iter().enumerate() {
            assert_eq!(ks.index.get(slot.key.as_slice()), Some(&i));
            match slot.entry.ttl_pos {
                Some(p) => assert_eq!(ks.ttl_list.get(p), Some(&Some(i))),
                None => assert!(slot.entry.expire_at.is_none()),
            }
        }
        assert_eq!(
            ks.volatile_len(),
            ks.slots
                .iter()
                .filter(|s| s.entry.expire_at.is_some())
                .count()
        );
        assert_eq!(
            ks.ttl_holes,
            ks.ttl_list.iter().filter(|c| c.is_none()).count()
        );
        assert_eq!(
            ks.used_memory,
            ks.slots.iter().map(|s| s.entry.size).sum::<usize>()
        );
    }

    #[test]
    fn dense_lists_stay_consistent_through_swaps() {
        let mut ks = Keyspace::new();
        let mut rng = Rng::new(7);
        for round in 0..5_000u64 {
            let k = format!("k{}", rng.up_to(400));
            match rng.up_to(5) {
                0 | 1 => ks.set(k.as_bytes(), s("v"), rng.up_to(1) == 0, round),
                2 => {
                    ks.set_expire(k.as_bytes(), Some(round + rng.up_to(20)));
                }
                3 => {
                    ks.set_expire(k.as_bytes(), None);
                }
                4 => {
                    ks.delete(k.as_bytes(), round);
                }
                _ => {
                    ks.lookup_read(k.as_bytes(), round);
                    // The expiry cursor walks (and survives compactions).
                    if let Some((key, _)) = ks.volatile_cursor_next() {
                        assert!(ks.peek(&key).is_some_and(|e| e.expire_at().is_some()));
                    }
                }
            }
            check_invariants(&ks);
        }
    }

    #[test]
    fn passive_expiry_boundary() {
        let mut ks = Keyspace::new();
        ks.set(b"k", s("v"), false, 0);
        ks.set_expire(b"k", Some(100));
        assert!(
            ks.lookup_read(b"k", 100).is_some(),
            "still there at expire_at"
        );
        assert!(ks.lookup_read(b"k", 101).is_none(), "gone 1 ms later");
        assert_eq!(ks.stats.expired_keys, 1);
        assert_eq!(ks.volatile_len(), 0);
    }
}
