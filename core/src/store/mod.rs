//! A Redis-like store: one keyspace, one command path.
//!
//! Everything that talks to the store — the console, the simulated API, the
//! native CLI — calls [`Store::execute`], so the MONITOR feed shows exactly
//! what ran. Time is passed in by the caller; the store never reads a clock.

pub mod args;
pub mod cmd;
pub mod config;
pub mod int;
pub mod keyspace;
pub mod monitor;
pub mod reply;
pub mod types;
pub mod value;

pub use config::{Config, ExpireMode, Policy};
pub use keyspace::{Entry, ExpiryKind, KeyEvent, Keyspace, KeyspaceStats, LfuParams};
pub use monitor::{Monitor, MonitorEntry, Origin};
pub use reply::Reply;
pub use value::Value;

use crate::rng::Rng;
use crate::time::Millis;
use cmd::{Checked, Ctx};

/// How many MONITOR entries are kept for viewers.
pub const MONITOR_CAPACITY: usize = 2_000;

/// Server-wide state commands may read or change, apart from the keyspace
/// and the config.
#[derive(Debug)]
pub struct ServerState {
    /// For everything random (RANDOMKEY, eviction sampling, LFU): seeded, so a
    /// run replays exactly.
    pub rng: Rng,
    /// `total_commands_processed` in INFO: commands that got past the checks.
    pub commands_processed: u64,
    /// Virtual milliseconds a `DEBUG SLEEP` asked for; the caller that owns
    /// the clock takes them with [`Store::take_sleep`] and lets time pass.
    pub sleep_ms: Millis,
}

impl Default for ServerState {
    fn default() -> Self {
        ServerState {
            rng: Rng::new(0x00C0_FFEE),
            commands_processed: 0,
            sleep_ms: 0,
        }
    }
}

/// A MULTI in progress: the queued commands, and whether one was refused
/// while queueing (then EXEC aborts, as Redis does).
#[derive(Debug, Default)]
struct Transaction {
    queued: Vec<Vec<Vec<u8>>>,
    dirty: bool,
}

#[derive(Debug)]
pub struct Store {
    pub keyspace: Keyspace,
    pub config: Config,
    pub server: ServerState,
    monitor: Monitor,
    /// The console's transaction. API handlers never use MULTI, so one
    /// connection's worth of state is all the playground needs.
    tx: Option<Transaction>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            keyspace: Keyspace::new(),
            config: Config::default(),
            server: ServerState::default(),
            monitor: Monitor::new(MONITOR_CAPACITY),
            tx: None,
        }
    }
}

impl Store {
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs one command given as arguments (the name first) at virtual time `now`.
    pub fn execute(&mut self, now: Millis, origin: Origin, args: &[Vec<u8>]) -> Reply {
        let in_tx = origin == Origin::Console && self.tx.is_some();
        let spec = match cmd::check(args) {
            Checked::Runs(spec) => spec,
            // Rejected commands never ran, so MONITOR does not show them (as
            // in Redis); inside MULTI they doom the transaction.
            Checked::Rejected(reply) => {
                // Redis answers an EXEC it refuses (wrong arity) by aborting:
                // the transaction, if any, is discarded and the reason is
                // given after EXECABORT — also outside MULTI.
                if args
                    .first()
                    .is_some_and(|n| n.eq_ignore_ascii_case(b"exec"))
                {
                    if origin == Origin::Console {
                        self.tx = None;
                    }
                    let reason = match &reply {
                        Reply::Error(e) => e.strip_prefix("ERR ").unwrap_or(e).to_string(),
                        _ => String::new(),
                    };
                    return Reply::error(format!(
                        "EXECABORT Transaction discarded because of: {reason}"
                    ));
                }
                if in_tx {
                    self.flag_tx();
                }
                return reply;
            }
        };
        if in_tx {
            return self.in_transaction(now, spec, args);
        }
        match spec.name {
            "multi" if origin == Origin::Console => {
                self.monitor.record(now, origin, args);
                self.server.commands_processed += 1;
                self.tx = Some(Transaction::default());
                return Reply::ok();
            }
            "exec" => return Reply::error("ERR EXEC without MULTI"),
            "discard" => return Reply::error("ERR DISCARD without MULTI"),
            _ => {}
        }
        self.monitor.record(now, origin, args);
        self.run(now, spec, args)
    }

    fn in_transaction(&mut self, now: Millis, spec: &'static cmd::Spec, args: &[Vec<u8>]) -> Reply {
        match spec.name {
            "multi" => Reply::error("ERR MULTI calls can not be nested"),
            "discard" => {
                self.monitor.record(now, Origin::Console, args);
                self.tx = None;
                Reply::ok()
            }
            "exec" => {
                let Some(tx) = self.tx.take() else {
                    return Reply::error("ERR EXEC without MULTI");
                };
                if tx.dirty {
                    return Reply::error(
                        "EXECABORT Transaction discarded because of previous errors.",
                    );
                }
                self.monitor.record(now, Origin::Console, args);
                let replies = tx
                    .queued
                    .iter()
                    .map(
                        |a| match cmd::find(a.first().map(Vec::as_slice).unwrap_or_default()) {
                            Some(spec) => {
                                self.monitor.record(now, Origin::Console, a);
                                self.run(now, spec, a)
                            }
                            None => cmd::unknown_command(a),
                        },
                    )
                    .collect();
                Reply::Array(replies)
            }
            _ if spec.flags & cmd::flags::NO_MULTI != 0 => {
                self.flag_tx();
                Reply::error("ERR Command not allowed inside a transaction")
            }
            _ => {
                if let Some(tx) = self.tx.as_mut() {
                    tx.queued.push(args.to_vec());
                }
                Reply::Simple("QUEUED".into())
            }
        }
    }

    fn flag_tx(&mut self) {
        if let Some(tx) = self.tx.as_mut() {
            tx.dirty = true;
        }
    }

    /// Runs a checked command: eviction first when over `maxmemory`, then
    /// the command, then a memory refresh of the keys it named.
    fn run(&mut self, now: Millis, spec: &'static cmd::Spec, args: &[Vec<u8>]) -> Reply {
        self.server.commands_processed += 1;
        let mut ctx = Ctx {
            ks: &mut self.keyspace,
            now,
            config: &mut self.config,
            server: &mut self.server,
        };
        let reply = (spec.run)(&mut ctx, args);
        for key in spec.key_args(args) {
            self.keyspace.refresh_size(key, now);
        }
        reply
    }

    /// Virtual time a `DEBUG SLEEP` asked for since the last call.
    pub fn take_sleep(&mut self) -> Millis {
        std::mem::take(&mut self.server.sleep_ms)
    }

    /// Whether the console is inside MULTI (the prompt shows it).
    pub fn in_transaction_mode(&self) -> bool {
        self.tx.is_some()
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
        self.server.commands_processed
    }
}
