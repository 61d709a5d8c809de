//! WATCH: optimistic locking for the console's transactions, as Redis 7.0
//! keeps it per client (`watched_keys`, `CLIENT_DIRTY_CAS`).
//!
//! EXEC answers nil instead of running when a watched key was modified by
//! anyone (another client, the console itself, expiry, eviction, a flush)
//! between WATCH and EXEC, or when a key that was alive at WATCH has expired
//! by EXEC. Redis learns of a modification from `signalModifiedKey`, which
//! each command calls where it writes. Here a modification is seen the
//! other way round: what each watched key holds is noted before anything
//! runs and compared after, and the commands that Redis signals even when
//! the result is the same (SET of the same value, EXPIRE to the same time,
//! a list rotated onto itself, …) are listed in [`forced_keys`]. Only
//! watched keys are noted, and only while a WATCH is pending, so an
//! unwatched store pays nothing. The differential tests check it against
//! redis-server with WATCH … EXEC probes.
//!
//! One nuance of Redis 7.0: a key already expired (but not yet reclaimed)
//! when it was watched is logically absent, so its reclamation is no
//! change; writing it again is.

use super::cmd::Spec;
use super::keyspace::Keyspace;
use super::reply::Reply;
use super::value::Value;
use crate::time::Millis;

#[derive(Debug)]
struct Watched {
    key: Vec<u8>,
    /// Expired (still in memory) when watched.
    expired: bool,
}

/// What a watched key held: `None` when absent.
type Held = Option<(Value, Option<Millis>)>;

/// What each watched key held before a command, for [`Watch::after`].
#[derive(Debug)]
pub struct Before(Vec<Held>);

#[derive(Debug, Default)]
pub struct Watch {
    keys: Vec<Watched>,
    /// A watched key was modified: the next EXEC answers nil.
    dirty: bool,
}

impl Watch {
    /// `WATCH key …`. Nothing is added once the transaction is doomed
    /// (Redis: "no point in watching if the client is already dirty").
    pub fn watch(&mut self, ks: &Keyspace, keys: &[Vec<u8>], now: Millis) {
        if self.dirty {
            return;
        }
        for key in keys {
            if !self.keys.iter().any(|w| &w.key == key) {
                let expired = ks.peek(key).is_some_and(|e| e.is_expired(now));
                self.keys.push(Watched {
                    key: key.clone(),
                    expired,
                });
            }
        }
    }

    /// UNWATCH, and what EXEC and DISCARD do once they end a transaction.
    pub fn clear(&mut self) {
        self.keys.clear();
        self.dirty = false;
    }

    /// Whether EXEC must refuse: a watched key was modified, or a key that
    /// was alive when watched has expired since (reclaimed or not).
    pub fn blocks_exec(&self, ks: &Keyspace, now: Millis) -> bool {
        self.dirty
            || self
                .keys
                .iter()
                .any(|w| !w.expired && ks.peek(&w.key).is_some_and(|e| e.is_expired(now)))
    }

    /// Notes what the watched keys hold, before something that may change
    /// them; `None` (nothing to compare) when no WATCH is pending.
    pub fn before(&self, ks: &Keyspace) -> Option<Before> {
        if self.keys.is_empty() || self.dirty {
            return None;
        }
        Some(Before(
            self.keys
                .iter()
                .map(|w| ks.peek(&w.key).map(|e| (e.value.clone(), e.expire_at())))
                .collect(),
        ))
    }

    /// Whether the watched key `key` was alive at `now` according to
    /// `before` (SET NX/XX and LTRIM signal depending on it).
    pub fn existed(&self, before: &Before, key: &[u8], now: Millis) -> bool {
        self.keys
            .iter()
            .zip(&before.0)
            .find(|(w, _)| w.key == key)
            .and_then(|(_, held)| held.as_ref())
            .is_some_and(|(_, at)| at.is_none_or(|at| now <= at))
    }

    /// Compares with `before`: a watched key that changed, or that the
    /// command signals anyway (`forced`), dooms the transaction, and the
    /// keys are dropped (Redis unwatches a dirty client at once).
    pub fn after(&mut self, ks: &Keyspace, before: Option<Before>, forced: &[&[u8]]) {
        let Some(Before(held)) = before else {
            return;
        };
        for (w, was) in self.keys.iter_mut().zip(held) {
            let is = ks.peek(&w.key);
            let changed = match (&was, is) {
                (None, None) => false,
                (Some((value, at)), Some(e)) => *value != e.value || *at != e.expire_at(),
                _ => true,
            };
            if !changed && !forced.contains(&w.key.as_slice()) {
                continue;
            }
            if w.expired && is.is_none() {
                // An already expired key was reclaimed: no logical change,
                // and from now on it is simply absent.
                w.expired = false;
                continue;
            }
            self.dirty = true;
        }
        if self.dirty {
            self.keys.clear();
        }
    }
}

/// The keys a successful command signals as modified even when what they
/// hold comes out the same, as Redis 7.0's commands call
/// `signalModifiedKey`: writes that store whatever they are given (SET,
/// HSET, INCRBY 0, APPEND "", LSET, LTRIM), TTLs set to the same time, and
/// moves that may end where they began (RENAME, COPY REPLACE, LMOVE onto
/// itself, a STORE that stores the same set). `existed` says whether a key
/// was alive before the command.
pub fn forced_keys<'a>(
    spec: &Spec,
    args: &'a [Vec<u8>],
    reply: &Reply,
    existed: impl Fn(&[u8]) -> bool,
) -> Vec<&'a [u8]> {
    if matches!(reply, Reply::Error(_)) {
        return Vec::new();
    }
    let arg = |i: usize| args.get(i).map(Vec::as_slice).unwrap_or_default();
    let has = |word: &[u8]| args.iter().skip(3).any(|a| a.eq_ignore_ascii_case(word));
    let one = |i: usize| vec![arg(i)];
    match spec.name {
        "set" => {
            let exists = existed(arg(1));
            if (has(b"nx") && exists) || (has(b"xx") && !exists) {
                Vec::new()
            } else {
                one(1)
            }
        }
        "setex" | "psetex" | "getset" | "mset" | "hset" | "hmset" | "hincrby" | "hincrbyfloat"
        | "incr" | "decr" | "incrby" | "decrby" | "incrbyfloat" | "append" | "lset" => {
            spec.key_args(args).collect()
        }
        "setrange" if !arg(3).is_empty() => one(1),
        "ltrim" if existed(arg(1)) => one(1),
        "expire" | "pexpire" | "expireat" | "pexpireat" if *reply == Reply::Integer(1) => one(1),
        "getex" if matches!(reply, Reply::Bulk(_)) => {
            let sets_ttl = args.iter().skip(2).any(|a| {
                [&b"ex"[..], b"px", b"exat", b"pxat"]
                    .iter()
                    .any(|o| a.eq_ignore_ascii_case(o))
            });
            if sets_ttl {
                one(1)
            } else {
                Vec::new()
            }
        }
        "rename" if arg(1) != arg(2) => vec![arg(1), arg(2)],
        "renamenx" if *reply == Reply::Integer(1) => vec![arg(1), arg(2)],
        "copy" if *reply == Reply::Integer(1) => one(2),
        "lmove" | "rpoplpush" if matches!(reply, Reply::Bulk(_)) => vec![arg(1), arg(2)],
        "sinterstore" | "sunionstore" | "sdiffstore" | "zunionstore" | "zinterstore"
        | "zdiffstore"
            if matches!(reply, Reply::Integer(n) if *n > 0) =>
        {
            one(1)
        }
        _ => Vec::new(),
    }
}
