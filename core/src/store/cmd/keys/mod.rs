//! Commands on keys of any type: existence, deletion, expiry.

mod del;
mod exists;
mod ttl;

pub use del::Del;
pub use exists::Exists;
pub use ttl::Ttl;

use super::flags::WRITE;
use super::{run, Spec};

pub const SPECS: &[Spec] = &[
    Spec {
        name: "del",
        arity: -2,
        flags: WRITE,
        keys: (1, -1, 1),
        run: run::<Del>,
    },
    Spec {
        name: "exists",
        arity: -2,
        flags: 0,
        keys: (1, -1, 1),
        run: run::<Exists>,
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
];
