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
pub use debug::{Debug, POPULATE_MAX};
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
        run: |c, a| run::<Echo>(c, a),
    },
    Spec {
        name: "info",
        arity: -1,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<Info>(c, a),
    },
    Spec {
        name: "config",
        arity: -2,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<Config>(c, a),
    },
    Spec {
        name: "debug",
        arity: -2,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<Debug>(c, a),
    },
    Spec {
        name: "command",
        arity: -1,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<Command>(c, a),
    },
    Spec {
        name: "select",
        arity: 2,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<Select>(c, a),
    },
    Spec {
        name: "time",
        arity: 1,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<Time>(c, a),
    },
    Spec {
        name: "ping",
        arity: -1,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| run::<Ping>(c, a),
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
