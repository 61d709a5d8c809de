//! Server and connection commands: PING, CONFIG, INFO, DEBUG, …

mod command;
mod config;
mod debug;
mod echo;
mod info;
mod ping;
mod select;
mod time;

pub use command::Command;
pub use config::Config;
pub use debug::Debug;
pub use echo::Echo;
pub use info::{human, info_fields, Info};
pub use ping::Ping;
pub use select::Select;
pub use time::Time;

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
        name: "echo",
        arity: 2,
        flags: 0,
        keys: (0, 0, 0),
        run: run::<Echo>,
    },
    Spec {
        name: "info",
        arity: -1,
        flags: 0,
        keys: (0, 0, 0),
        run: run::<Info>,
    },
    Spec {
        name: "config",
        arity: -2,
        flags: 0,
        keys: (0, 0, 0),
        run: run::<Config>,
    },
    Spec {
        name: "debug",
        arity: -2,
        flags: 0,
        keys: (0, 0, 0),
        run: run::<Debug>,
    },
    Spec {
        name: "command",
        arity: -1,
        flags: 0,
        keys: (0, 0, 0),
        run: run::<Command>,
    },
    Spec {
        name: "select",
        arity: 2,
        flags: 0,
        keys: (0, 0, 0),
        run: run::<Select>,
    },
    Spec {
        name: "time",
        arity: 1,
        flags: 0,
        keys: (0, 0, 0),
        run: run::<Time>,
    },
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
    // WATCH and UNWATCH act on the console's own state, in the store;
    // these run only for another sender, or for an UNWATCH queued in MULTI,
    // which EXEC runs after it has unwatched already (so: OK).
    Spec {
        name: "watch",
        arity: -2,
        flags: 0,
        keys: (1, -1, 1),
        run: transactions_are_console_only,
    },
    Spec {
        name: "unwatch",
        arity: 1,
        flags: 0,
        keys: (0, 0, 0),
        run: |_, _| Reply::ok(),
    },
    Spec {
        name: "discard",
        arity: 1,
        flags: NO_MULTI,
        keys: (0, 0, 0),
        run: transactions_are_console_only,
    },
];
