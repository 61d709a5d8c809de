//! Server and connection commands: PING, CONFIG, INFO, DEBUG, …

mod ping;

pub use ping::Ping;

use super::flags::NO_MULTI;
use super::{run, Spec};
use crate::store::reply::Reply;

/// MULTI, EXEC and DISCARD are handled by the store itself (they change the
/// connection, not the data); their table entries give name and arity checks.
/// Only API handlers can reach these `run`s, and they never use transactions.
fn transactions_are_console_only(_: &mut super::Ctx, _: &[Vec<u8>]) -> Reply {
    Reply::error("ERR transactions are only available in the console")
}

pub const SPECS: &[Spec] = &[
    Spec {
        name: "ping",
        arity: -1,
        flags: 0,
        keys: (0, 0, 0),
        run: run::<Ping>,
    },
    Spec {
        name: "multi",
        arity: 1,
        flags: NO_MULTI,
        keys: (0, 0, 0),
        run: transactions_are_console_only,
    },
    Spec {
        name: "exec",
        arity: 1,
        flags: NO_MULTI,
        keys: (0, 0, 0),
        run: transactions_are_console_only,
    },
    Spec {
        name: "discard",
        arity: 1,
        flags: NO_MULTI,
        keys: (0, 0, 0),
        run: transactions_are_console_only,
    },
];
