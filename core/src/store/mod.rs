//! A Redis-like store: one keyspace, one command path.
//!
//! Everything that talks to the store — the console, the simulated API, the
//! native CLI — calls [`Store::execute`], so the MONITOR feed shows exactly
//! what ran. Time is passed in by the caller; the store never reads a clock.

pub mod args;
mod blocked;
pub mod cmd;
pub mod config;
pub mod evict;
pub mod expire;
pub mod fast_hash;
pub mod functions;
pub mod int;
pub mod keyspace;
pub mod monitor;
pub mod reply;
mod short_key;
pub mod stats;
pub mod types;
pub mod value;
mod watch;

pub use blocked::Blocked;
pub use config::{Config, ExpireMode, Policy};
pub use expire::{CycleKind, CycleReport};
pub use keyspace::{Entry, ExpiryKind, KeyEvent, Keyspace, KeyspaceStats, LfuParams};
pub use monitor::{ArgList, Monitor, MonitorEntry, Origin};
pub use reply::Reply;
pub use short_key::ShortKey;
pub use value::Value;

use std::collections::VecDeque;

use crate::rng::Rng;
use crate::time::Millis;
use cmd::{Checked, Ctx};
use evict::{EvictionPool, Room};
use expire::ExpireState;

/// Expiry-cycle reports kept for viewers (oldest dropped first).
pub const CYCLE_REPORTS: usize = 256;

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
    pub expire: ExpireState,
    pub eviction_pool: EvictionPool,
    /// When the last cron tick ran (`None`: not yet).
    pub last_cron: Option<Millis>,
    pub used_memory_peak: usize,
    /// Recent active-expiry cycles, for the UI.
    pub cycles: VecDeque<CycleReport>,
    /// Set while a command runs for a client that may block (the console,
    /// outside MULTI, not already waiting): a blocking command that finds
    /// nothing then leaves its request in `block_request` instead of
    /// answering nil for good.
    pub may_block: bool,
    pub block_request: Option<cmd::list::BlockRequest>,
    /// INFO's `blocked_clients` and `clients_in_timeout_table`: the
    /// console while its command waits, and whether that wait has a timeout.
    pub blocked_clients: u8,
    pub clients_in_timeout_table: u8,
    /// INFO commandstats and errorstats.
    pub stats: stats::Stats,
    /// The console's channels and patterns, and the messages published to
    /// them since the store last printed them for it.
    pub subscriptions: cmd::pubsub::Subscriptions,
    pub messages: Vec<Reply>,
}

impl Default for ServerState {
    fn default() -> Self {
        ServerState {
            rng: Rng::new(0x00C0_FFEE),
            commands_processed: 0,
            sleep_ms: 0,
            expire: ExpireState::default(),
            eviction_pool: EvictionPool::default(),
            last_cron: None,
            used_memory_peak: 0,
            cycles: VecDeque::new(),
            may_block: false,
            block_request: None,
            blocked_clients: 0,
            clients_in_timeout_table: 0,
            stats: stats::Stats::default(),
            subscriptions: Default::default(),
            messages: Vec::new(),
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
    /// The console's WATCHed keys (optimistic locking for its MULTI).
    watch: watch::Watch,
    /// The console's blocking command while it waits, then its answer.
    blocked: Option<Blocked>,
    /// What it printed once answered, until the console takes it.
    unblocked: String,
    /// Keys the blocked command waits on that commands made ready since it
    /// was last looked at, in the order they became ready: Redis serves
    /// from its `ready_keys` list in that order, not in argument order.
    ready: Vec<Vec<u8>>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            keyspace: Keyspace::new(),
            config: Config::default(),
            server: ServerState::default(),
            monitor: Monitor::new(MONITOR_CAPACITY),
            tx: None,
            watch: watch::Watch::default(),
            blocked: None,
            unblocked: String::new(),
            ready: Vec::new(),
        }
    }
}

impl Store {
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs one command given as arguments (the name first) at virtual time `now`.
    /// Then, as Redis does before the next command, a blocked console
    /// whose key this made ready is served.
    pub fn execute(&mut self, now: Millis, origin: Origin, args: &[Vec<u8>]) -> Reply {
        let reply = self.execute_one(now, origin, args);
        self.publish_key_events();
        // Every error reply counts (EXEC's, one by one), as Redis counts
        // each one it writes to a client.
        self.server.stats.error_replies_in(&reply);
        self.serve_blocked(now);
        reply
    }

    fn execute_one(&mut self, now: Millis, origin: Origin, args: &[Vec<u8>]) -> Reply {
        let in_tx = origin == Origin::Console && self.tx.is_some();
        let spec = match cmd::check(args) {
            Checked::Runs(spec) => spec,
            // Rejected commands never ran, so MONITOR does not show them (as
            // in Redis); inside MULTI they doom the transaction.
            Checked::Rejected(reply) => {
                self.server.stats.rejected(args);
                // Redis answers an EXEC it refuses (wrong arity) by aborting:
                // the transaction, if any, is discarded and the reason is
                // given after EXECABORT — also outside MULTI.
                if args
                    .first()
                    .is_some_and(|n| n.eq_ignore_ascii_case(b"exec"))
                {
                    if origin == Origin::Console {
                        self.tx = None;
                        self.watch.clear();
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
                self.tx = Some(Transaction::default());
                return self.ran(now, origin, spec, args, Reply::ok());
            }
            "watch" if origin == Origin::Console => {
                self.watch
                    .watch(&self.keyspace, args.get(1..).unwrap_or_default(), now);
                return self.ran(now, origin, spec, args, Reply::ok());
            }
            "unwatch" if origin == Origin::Console => {
                self.watch.clear();
                return self.ran(now, origin, spec, args, Reply::ok());
            }
            // They run and fail, so MONITOR shows them and INFO counts
            // them, as Redis's call() does for any command that ran.
            "exec" | "discard" => {
                let name = spec.name.to_ascii_uppercase();
                return self.ran(
                    now,
                    origin,
                    spec,
                    args,
                    Reply::error(format!("ERR {name} without MULTI")),
                );
            }
            _ => {}
        }
        self.monitor.record(now, origin, args);
        // One wait at a time, and only the console's: an API request or
        // the inspector that sends BLPOP gets its nil at once.
        self.server.may_block = origin == Origin::Console && self.blocked.is_none();
        let reply = self.run(now, origin, spec, args, true);
        self.server.may_block = false;
        self.keep_block_request(now, args);
        reply
    }

    /// Like Redis's `addReplyErrorFormat`, error and status texts never
    /// carry a line break (it would break the protocol): they become spaces.
    /// In place: most replies are left as they are, and moving every
    /// reply through here cost a few percent of a GET.
    fn one_line(reply: &mut Reply) {
        match reply {
            Reply::Error(text) if text.contains(['\r', '\n']) => {
                *text = text.replace(['\r', '\n'], " ");
            }
            Reply::Simple(text) if text.contains(['\r', '\n']) => {
                *text = text.replace(['\r', '\n'], " ").into();
            }
            Reply::Array(items) => items.iter_mut().for_each(Self::one_line),
            _ => {}
        }
    }

    fn in_transaction(&mut self, now: Millis, spec: &'static cmd::Spec, args: &[Vec<u8>]) -> Reply {
        match spec.name {
            // A nested MULTI runs (and fails) rather than being queued; it
            // does not doom the transaction.
            "multi" => self.ran(
                now,
                Origin::Console,
                spec,
                args,
                Reply::error("ERR MULTI calls can not be nested"),
            ),
            // Runs (it is not queued) and fails, without dooming the
            // transaction: Redis checks it in WATCH itself.
            "watch" => self.ran(
                now,
                Origin::Console,
                spec,
                args,
                Reply::error("ERR WATCH inside MULTI is not allowed"),
            ),
            "discard" => {
                self.tx = None;
                self.watch.clear();
                self.ran(now, Origin::Console, spec, args, Reply::ok())
            }
            "exec" => {
                let Some(tx) = self.tx.take() else {
                    return Reply::error("ERR EXEC without MULTI");
                };
                // A refused queue wins over a modified watched key.
                if tx.dirty {
                    self.watch.clear();
                    return self.ran(
                        now,
                        Origin::Console,
                        spec,
                        args,
                        Reply::error("EXECABORT Transaction discarded because of previous errors."),
                    );
                }
                if self.watch.blocks_exec(&self.keyspace, now) {
                    self.watch.clear();
                    return self.ran(now, Origin::Console, spec, args, Reply::Nil);
                }
                // Unwatched before the queue runs: its own writes do not count.
                self.watch.clear();
                let replies = tx
                    .queued
                    .iter()
                    .map(
                        |a| match cmd::find(a.first().map(Vec::as_slice).unwrap_or_default()) {
                            Some(spec) => {
                                self.monitor.record(now, Origin::Console, a);
                                self.run(now, Origin::Console, spec, a, true)
                            }
                            None => cmd::unknown_command(a),
                        },
                    )
                    .collect();
                // Redis feeds MONITOR once a command has run: the queued
                // commands first, then the EXEC that ran them.
                self.ran(now, Origin::Console, spec, args, Reply::Array(replies))
            }
            _ if spec.flags & cmd::flags::NO_MULTI != 0 => {
                self.server.stats.rejected(args);
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

    /// A transaction command that ran here rather than through
    /// [`run`](Self::run) and answers `reply`: MONITOR shows it and INFO
    /// counts it, as Redis's call() does for every command that ran, failed
    /// or not.
    fn ran(
        &mut self,
        now: Millis,
        origin: Origin,
        spec: &'static cmd::Spec,
        args: &[Vec<u8>],
        reply: Reply,
    ) -> Reply {
        self.monitor.record(now, origin, args);
        self.server.commands_processed += 1;
        // EXEC's own failure is its EXECABORT, not its queue's errors.
        let own = if matches!(reply, Reply::Array(_)) {
            &Reply::Nil
        } else {
            &reply
        };
        self.server.stats.called(spec, args, own);
        reply
    }

    fn flag_tx(&mut self) {
        if let Some(tx) = self.tx.as_mut() {
            tx.dirty = true;
        }
    }

    /// Runs a checked command: eviction first when over `maxmemory`, then
    /// the command, then a memory refresh of the keys it named. `count`:
    /// whether INFO counts it (not a blocked command's pop when served:
    /// Redis counted the blocking command itself).
    fn run(
        &mut self,
        now: Millis,
        origin: Origin,
        spec: &'static cmd::Spec,
        args: &[Vec<u8>],
        count: bool,
    ) -> Reply {
        let before = self.watch.before(&self.keyspace);
        let reply = self.run_watched(now, origin, spec, args, count);
        if spec.is_write() {
            self.note_ready(now);
        }
        if let Some(b) = &before {
            let forced = watch::forced_keys(spec, args, &reply, |k| self.watch.existed(b, k, now));
            self.watch.after(&self.keyspace, before, &forced);
        }
        reply
    }

    fn run_watched(
        &mut self,
        now: Millis,
        origin: Origin,
        spec: &'static cmd::Spec,
        args: &[Vec<u8>],
        count: bool,
    ) -> Reply {
        if self.config.maxmemory > 0 {
            let (_, room) = evict::make_room(
                &mut self.keyspace,
                &self.config,
                &mut self.server.eviction_pool,
                &mut self.server.rng,
                now,
            );
            if room == Room::Full && spec.flags & cmd::flags::DENYOOM != 0 {
                if count {
                    self.server.stats.rejected(args);
                }
                return Reply::error("OOM command not allowed when used memory > 'maxmemory'.");
            }
        }
        let mut ctx = Ctx {
            ks: &mut self.keyspace,
            now,
            config: &mut self.config,
            server: &mut self.server,
            monitor: &mut self.monitor,
            origin,
        };
        let mut reply = (spec.run)(&mut ctx, args);
        Self::one_line(&mut reply);
        // Counted once it ran, as Redis's call() does: INFO does not count
        // itself, and CONFIG RESETSTAT leaves 1. A command that now waits
        // is in commandstats once it is answered.
        if count {
            self.server.commands_processed += 1;
            let waits = self
                .server
                .block_request
                .as_ref()
                .is_some_and(|r| r.wait != cmd::list::Wait::Messages);
            if !waits {
                self.server.stats.called(spec, args, &reply);
            }
        }
        // Only writes change sizes (or empty a collection).
        if spec.is_write() {
            for key in spec.key_args(args) {
                self.keyspace.refresh_size(key, now);
            }
        }
        self.server.used_memory_peak = self
            .server
            .used_memory_peak
            .max(self.keyspace.used_memory());
        reply
    }

    /// When the next cron tick (`hz` per second) is due.
    pub fn next_cron_at(&self) -> Millis {
        let period = self.cron_period();
        match self.server.last_cron {
            None => period,
            Some(last) => last + period,
        }
    }

    /// A `DEBUG SLEEP` blocks the server until `wake`: Redis runs no cron
    /// meanwhile, and its overdue timer fires once when it wakes (ae does
    /// not replay missed ticks). So the next tick is at `wake` at the
    /// latest. Replaying every tick instead also let `DEBUG SLEEP
    /// 1000000000` at `hz 500` spin through 5·10¹¹ of them: a frozen page.
    pub fn skip_cron_until(&mut self, wake: Millis) {
        if self.next_cron_at() < wake {
            self.server.last_cron = Some(wake.saturating_sub(self.cron_period()));
        }
    }

    /// Milliseconds between two cron ticks (`hz` a second).
    fn cron_period(&self) -> Millis {
        1_000 / Millis::from(self.config.hz.max(1))
    }

    /// Runs every cron tick due up to `now`: the slow active-expiry cycle,
    /// then the fast one that runs before the server sleeps.
    pub fn cron_until(&mut self, now: Millis) {
        while self.next_cron_at() <= now {
            let at = self.next_cron_at();
            self.server.last_cron = Some(at);
            self.expire_cycle(at, CycleKind::Slow);
            self.expire_cycle(at, CycleKind::Fast);
        }
        self.publish_key_events();
        self.serve_blocked(now);
    }

    /// What Redis does before sleeping after a batch of commands: a fast
    /// expiry cycle if stale keys seem plentiful.
    pub fn before_sleep(&mut self, now: Millis) {
        self.expire_cycle(now, CycleKind::Fast);
        self.publish_key_events();
        self.serve_blocked(now);
    }

    /// Publishes the keyspace's pending notifications as Redis's
    /// `notifyKeyspaceEvent` does: on `__keyspace@0__:<key>` (K) with the
    /// event as message, then on `__keyevent@0__:<event>` (E) with the key.
    fn publish_key_events(&mut self) {
        use config::notify::{KEYEVENT, KEYSPACE};
        let f = self.config.notify_keyspace_events;
        for (event, key) in std::mem::take(&mut self.keyspace.notifications) {
            if f & KEYSPACE != 0 {
                let mut channel = b"__keyspace@0__:".to_vec();
                channel.extend_from_slice(&key);
                cmd::pubsub::deliver(&mut self.server, &channel, event.as_bytes());
            }
            if f & KEYEVENT != 0 {
                let channel = format!("__keyevent@0__:{event}");
                cmd::pubsub::deliver(&mut self.server, channel.as_bytes(), &key);
            }
        }
    }

    fn expire_cycle(&mut self, now: Millis, kind: CycleKind) {
        // A watched key the cycle reclaims is a modification (Redis's
        // deleteExpiredKeyAndPropagate signals it).
        let before = self.watch.before(&self.keyspace);
        let report = expire::cycle(
            &mut self.keyspace,
            &self.config,
            &mut self.server.expire,
            &mut self.server.rng,
            now,
            kind,
        );
        self.watch.after(&self.keyspace, before, &[]);
        if let Some(r) = report {
            if self.server.cycles.len() >= CYCLE_REPORTS {
                self.server.cycles.pop_front();
            }
            self.server.cycles.push_back(r);
        }
    }

    /// Expiry-cycle reports since the last call.
    pub fn drain_cycles(&mut self) -> Vec<CycleReport> {
        self.server.cycles.drain(..).collect()
    }

    /// Virtual time a `DEBUG SLEEP` asked for since the last call.
    pub fn take_sleep(&mut self) -> Millis {
        std::mem::take(&mut self.server.sleep_ms)
    }

    /// Whether the console is inside MULTI (the prompt shows it).
    pub fn in_transaction_mode(&self) -> bool {
        self.tx.is_some()
    }

    /// Runs a console line and returns exactly what `redis-cli --no-raw`
    /// would print for it, newline included (`None` for a blank line).
    pub fn execute_line_output(
        &mut self,
        now: Millis,
        origin: Origin,
        line: &str,
    ) -> Option<String> {
        match args::split_args(line) {
            Err(msg) => Some(format!("{msg}\n")),
            Ok(a) if a.is_empty() => None,
            // Like redis-cli, `help` is answered by the console itself.
            Ok(a) if a.first().is_some_and(|n| n.eq_ignore_ascii_case(b"help")) => {
                Some(help(a.get(1..).unwrap_or_default()))
            }
            Ok(a) => match repeat_count(&a) {
                // redis-cli reads a leading number as "run this N times".
                Some(Err(())) => {
                    Some("Invalid redis-cli repeat command option value.\n".to_string())
                }
                Some(Ok(asked)) => {
                    let n = asked.min(MAX_REPEAT);
                    let rest = a.get(1..).unwrap_or_default();
                    let mut out = String::new();
                    let waiting = self.blocked.is_some();
                    for i in 1..=n {
                        let reply = self.execute(now, origin, rest);
                        match self.blocked.as_mut().filter(|_| !waiting) {
                            // Subscribed: redis-cli reads messages from now on.
                            Some(b) if b.request.wait == cmd::list::Wait::Messages => {
                                out.push_str(&reply::cli_output(rest, &reply));
                                break;
                            }
                            // redis-cli waits here; the rest follow the answer.
                            Some(b) => {
                                b.repeats_left = u64::try_from(n - i).unwrap_or(0);
                                break;
                            }
                            None => out.push_str(&reply::cli_output(rest, &reply)),
                        }
                    }
                    // Said, not silent: the rest of the count was not run.
                    if asked > n && self.blocked.is_none() {
                        out.push_str(&format!(
                            "(the playground repeats a command at most {MAX_REPEAT} times: {n} of the {asked} asked ran)\n"
                        ));
                    }
                    Some(out)
                }
                None => {
                    let waiting = self.blocked.is_some();
                    let reply = self.execute(now, origin, &a);
                    // Blocked: nothing printed yet (the answer comes later,
                    // through `take_unblocked`). Subscribed: the
                    // confirmations now, the messages later.
                    if !waiting && self.blocked.is_some() && !self.reads_messages() {
                        return Some(String::new());
                    }
                    Some(reply::cli_output(&a, &reply))
                }
            },
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
        self.server.commands_processed
    }
}

/// The console's `help`, answered by the console itself as redis-cli's
/// is: `help` alone lists the commands this store runs, by group; `help
/// <command>`, `help <container> <subcommand>` and `help @<group>` print
/// redis-cli's own help text for them (`cmd::docs`).
pub fn help(topic: &[Vec<u8>]) -> String {
    const GROUP_NAMES: [&str; 9] = [
        "strings",
        "keys",
        "hashes",
        "lists",
        "sets",
        "sorted sets",
        "server",
        "pub/sub",
        "functions (library playground)",
    ];
    let Some(first) = topic.first() else {
        let mut out = String::from(
            "Type a Redis command, e.g. SET greeting hello EX 10. Commands this store runs:\n",
        );
        for (name, group) in GROUP_NAMES.iter().zip(cmd::GROUPS) {
            let names: Vec<String> = group
                .iter()
                .filter(|s| !matches!(s.name, "multi" | "exec" | "discard" | "watch" | "unwatch"))
                .map(|s| s.name.to_ascii_uppercase())
                .collect();
            if !names.is_empty() {
                out.push_str(&format!("  {name}: {}\n", names.join(" ")));
            }
        }
        out.push_str(
            "  transactions: MULTI EXEC DISCARD WATCH UNWATCH\n\
             \"help <command>\" shows its arguments and what it does, as redis-cli does; \
             \"help @<group>\" lists a group (@string, @hash, @sorted-set, …).\n",
        );
        return out;
    };
    if let Some(text) = cmd::docs::help(topic) {
        return text;
    }
    let name = String::from_utf8_lossy(first);
    if let Some(group) = name.strip_prefix('@') {
        let mut groups: Vec<&str> = cmd::docs::docs().map(|d| d.group).collect();
        groups.sort_unstable();
        groups.dedup();
        return format!(
            "No group named \"{group}\" here. Groups: @{}.\n",
            groups.join(", @")
        );
    }
    if cmd::is_redis_only(&name) {
        return format!(
            "{} is a real Redis command that the playground does not simulate. Type help \
             for the ones it does.\n",
            name.to_ascii_uppercase()
        );
    }
    format!("No command named \"{name}\" here. Type help for the list.\n")
}

/// Most repetitions a console line may ask for (redis-cli allows any long;
/// a browser tab should not freeze on `1000000000 INCR x`).
pub const MAX_REPEAT: i64 = 10_000;

/// redis-cli's repeat prefix: with more than one argument, a first argument
/// that `strtol` reads completely (so also an empty one) is a count.
/// `Some(Err)` for a count redis-cli refuses (≤ 0 or out of range).
fn repeat_count(args: &[Vec<u8>]) -> Option<Result<i64, ()>> {
    if args.len() < 2 {
        return None;
    }
    let first = args.first()?;
    let text = std::str::from_utf8(first).ok()?;
    let t = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    let n = if text.is_empty() {
        0
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        match t.parse::<i64>() {
            Ok(n) => n,
            Err(_) => return Some(Err(())),
        }
    } else {
        return None;
    };
    if n <= 0 {
        return Some(Err(()));
    }
    Some(Ok(n))
}
