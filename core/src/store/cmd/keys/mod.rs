//! Commands on keys of any type: existence, deletion, expiry, naming,
//! iteration and introspection.

mod copy;
mod db;
mod del;
mod element_scan;
mod exists;
mod expire;
pub(crate) mod glob;
mod list_keys;
mod object;
mod rename;
mod scan;
mod ttl;
mod type_;

pub(crate) use copy::only_db_zero;
pub use copy::CopyKey;
pub use db::{DbSize, Flush, RandomKey};
pub use del::Del;
pub use element_scan::{ElementScan, Kind as ScanKind};
pub use exists::Exists;
pub use expire::{Expire, ExpireTime, Persist};
pub use glob::string_match;
pub use list_keys::Keys;
pub use object::{encoding, freq, idle_seconds, Object};
pub use rename::Rename;
pub use scan::Scan;
pub use ttl::Ttl;
pub use type_::Type;

use super::flags::{DENYOOM, WRITE};
use super::{run, Command, Spec};

pub const SPECS: &[Spec] = &[
    Spec {
        name: "del",
        arity: -2,
        flags: WRITE,
        keys: (1, -1, 1),
        run: |c, a| run::<Del>(c, a),
    },
    Spec {
        name: "unlink",
        arity: -2,
        flags: WRITE,
        keys: (1, -1, 1),
        run: |c, a| run::<Del>(c, a),
    },
    Spec {
        name: "touch",
        arity: -2,
        flags: 0,
        keys: (1, -1, 1),
        run: |c, a| Exists::parse_as(a, true).apply(c),
    },
    Spec {
        name: "copy",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: (1, 2, 1),
        run: |c, a| run::<CopyKey>(c, a),
    },
    Spec {
        name: "exists",
        arity: -2,
        flags: 0,
        keys: (1, -1, 1),
        run: |c, a| run::<Exists>(c, a),
    },
    Spec {
        name: "ttl",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| Ttl::parse(a, false).map_or_else(|e| e, |t| t.apply(c)),
    },
    Spec {
        name: "pttl",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| Ttl::parse(a, true).map_or_else(|e| e, |t| t.apply(c)),
    },
    Spec {
        name: "expiretime",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| ExpireTime::parse(a, false).map_or_else(|e| e, |t| t.apply(c)),
    },
    Spec {
        name: "pexpiretime",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| ExpireTime::parse(a, true).map_or_else(|e| e, |t| t.apply(c)),
    },
    Spec {
        name: "expire",
        arity: -3,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| Expire::parse(a, "expire").map_or_else(|e| e, |t| t.apply(c)),
    },
    Spec {
        name: "pexpire",
        arity: -3,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| Expire::parse(a, "pexpire").map_or_else(|e| e, |t| t.apply(c)),
    },
    Spec {
        name: "expireat",
        arity: -3,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| Expire::parse(a, "expireat").map_or_else(|e| e, |t| t.apply(c)),
    },
    Spec {
        name: "pexpireat",
        arity: -3,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| Expire::parse(a, "pexpireat").map_or_else(|e| e, |t| t.apply(c)),
    },
    Spec {
        name: "persist",
        arity: 2,
        flags: WRITE,
        keys: (1, 1, 1),
        run: |c, a| Persist::parse(a).map_or_else(|e| e, |t| t.apply(c)),
    },
    Spec {
        name: "type",
        arity: 2,
        flags: 0,
        keys: (1, 1, 1),
        run: |c, a| run::<Type>(c, a),
    },
    Spec {
        name: "keys",
        arity: 2,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<Keys>(c, a),
    },
    Spec {
        name: "scan",
        arity: -2,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<Scan>(c, a),
    },
    Spec {
        name: "rename",
        arity: 3,
        flags: WRITE,
        keys: (1, 2, 1),
        run: |c, a| Rename::parse(a, false).map_or_else(|e| e, |t| t.apply(c)),
    },
    Spec {
        name: "renamenx",
        arity: 3,
        flags: WRITE,
        keys: (1, 2, 1),
        run: |c, a| Rename::parse(a, true).map_or_else(|e| e, |t| t.apply(c)),
    },
    Spec {
        name: "randomkey",
        arity: 1,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<RandomKey>(c, a),
    },
    Spec {
        name: "dbsize",
        arity: 1,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<DbSize>(c, a),
    },
    Spec {
        name: "flushdb",
        arity: -1,
        flags: WRITE,
        keys: (0, 0, 0),
        run: |c, a| run::<Flush>(c, a),
    },
    Spec {
        name: "flushall",
        arity: -1,
        flags: WRITE,
        keys: (0, 0, 0),
        run: |c, a| run::<Flush>(c, a),
    },
    Spec {
        name: "object",
        arity: -2,
        flags: 0,
        keys: (2, 2, 1),
        run: |c, a| Object::parse(a).map_or_else(|e| e, |t| t.apply(c)),
    },
];

/// Redis's `lookupKeyReadWithFlags(…, LOOKUP_NOTOUCH)`, used by EXISTS, TYPE,
/// TTL, EXPIRETIME and OBJECT: expires the key if due and counts a hit or a
/// miss, but does not record an access, so `OBJECT IDLETIME` and the
/// LRU/LFU data are not disturbed by looking.
pub(crate) fn lookup_notouch<'a>(
    ks: &'a mut crate::store::keyspace::Keyspace,
    key: &[u8],
    now: crate::time::Millis,
) -> Option<&'a crate::store::keyspace::Entry> {
    lookup_notouch_counted(ks, key, now, true)
}

/// OBJECT's lookup: a miss is counted but not announced as `keymiss`
/// (Redis's `objectCommandLookup` passes LOOKUP_NONOTIFY).
pub(crate) fn lookup_object<'a>(
    ks: &'a mut crate::store::keyspace::Keyspace,
    key: &[u8],
    now: crate::time::Millis,
) -> Option<&'a crate::store::keyspace::Entry> {
    lookup_notouch_counted(ks, key, now, false)
}

fn lookup_notouch_counted<'a>(
    ks: &'a mut crate::store::keyspace::Keyspace,
    key: &[u8],
    now: crate::time::Millis,
    announce_miss: bool,
) -> Option<&'a crate::store::keyspace::Entry> {
    if ks.contains(key, now) {
        ks.stats.keyspace_hits += 1;
    } else if announce_miss {
        ks.record_miss(key);
    } else {
        ks.stats.keyspace_misses += 1;
    }
    ks.peek(key)
}
