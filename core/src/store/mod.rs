//! A Redis-like store: one keyspace, one command path.
//!
//! Everything that talks to the store — the console, the simulated API, the
//! native CLI — calls [`Store::execute`], so the MONITOR feed shows exactly
//! what ran. Time is passed in by the caller; the store never reads a clock.

pub mod args;
pub mod cmd;
pub mod int;
pub mod keyspace;
pub mod monitor;
pub mod reply;

pub use keyspace::{Entry, ExpiryKind, KeyEvent, Keyspace, KeyspaceStats, Value};
pub use monitor::{Monitor, MonitorEntry, Origin};
pub use reply::Reply;

use crate::time::Millis;
use cmd::Checked;

/// How many MONITOR entries are kept for viewers.
pub const MONITOR_CAPACITY: usize = 2_000;

#[derive(Debug)]
pub struct Store {
    pub keyspace: Keyspace,
    monitor: Monitor,
    /// `total_commands_processed` in INFO: commands that got past the checks.
    commands_processed: u64,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            keyspace: Keyspace::new(),
            monitor: Monitor::new(MONITOR_CAPACITY),
            commands_processed: 0,
        }
    }
}

impl Store {
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs one command given as arguments (the name first) at virtual time `now`.
    pub fn execute(&mut self, now: Millis, origin: Origin, args: &[Vec<u8>]) -> Reply {
        let (args, parse) = match cmd::check(args) {
            Checked::Runs(args, parse) => (args, parse),
            // Rejected commands never ran, so MONITOR does not show them (as in Redis).
            Checked::Rejected(reply) => return reply,
        };
        self.monitor.record(now, origin, args);
        self.commands_processed += 1;
        match parse(args) {
            Ok(command) => command.apply(&mut self.keyspace, now),
            Err(reply) => reply,
        }
    }

    /// Convenience for code and tests: arguments as string slices.
    pub fn exec(&mut self, now: Millis, origin: Origin, args: &[&str]) -> Reply {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        self.execute(now, origin, &args)
    }

    /// Runs a line typed in a console, split the way redis-cli splits it.
    /// `None` for a blank line (redis-cli sends nothing); a line that cannot be
    /// split gives redis-cli's own complaint, which is not a server error.
    pub fn execute_line(
        &mut self,
        now: Millis,
        origin: Origin,
        line: &str,
    ) -> Option<Result<Reply, &'static str>> {
        match args::split_args(line) {
            Err(msg) => Some(Err(msg)),
            Ok(a) if a.is_empty() => None,
            Ok(a) => Some(Ok(self.execute(now, origin, &a))),
        }
    }

    pub fn monitor(&self) -> &Monitor {
        &self.monitor
    }

    pub fn commands_processed(&self) -> u64 {
        self.commands_processed
    }
}
