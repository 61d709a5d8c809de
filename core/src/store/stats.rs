//! INFO's `commandstats` and `errorstats`: how often each command ran,
//! failed or was refused, and how many error replies of each kind went out.
//!
//! Why: after a load run, "cmdstat_get:calls=9500" beside
//! "cmdstat_set:calls=500" is the cache's hit ratio seen from Redis, and
//! `errorstat_WRONGTYPE` shows a client that misuses a key. Counted where
//! Redis 7.0 counts them:
//! - `calls`: a command that ran, failed or not (a blocking one when it is
//!   answered, not when it starts to wait); also each command a function
//!   runs, and each one EXEC runs.
//! - `failed_calls`: it ran and answered an error.
//! - `rejected_calls`: refused before running (wrong arity, not allowed in
//!   MULTI, OOM); an unknown command or subcommand has no line to count on.
//! - Every error reply counts once under its first word (`ERR`,
//!   `WRONGTYPE`, `EXECABORT`), whoever made it.
//!
//! `usec` is virtual time, in which a command takes none: always 0.

use std::collections::BTreeMap;

use super::cmd;
use super::reply::Reply;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CommandStat {
    pub calls: u64,
    pub rejected_calls: u64,
    pub failed_calls: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// By command and subcommand (`config|get`), sorted by name: static
    /// names, so that counting a command allocates nothing. A vector, not a
    /// map: a client uses a handful of commands, and finding one by the
    /// address of its static name is a few instructions where a map's
    /// search compared names (3% of the load benchmark).
    commands: Vec<(Key, CommandStat)>,
    errors: BTreeMap<String, u64>,
    pub total_error_replies: u64,
}

/// A command's name, and its subcommand's for a container.
type Key = (&'static str, Option<&'static str>);

/// The line `args` of the command `spec` counts on; `None` for an unknown
/// subcommand (Redis then has no command to count on).
fn key(spec: &'static cmd::Spec, args: &[Vec<u8>]) -> Option<Key> {
    match (cmd::subcommands(spec.name), args.get(1)) {
        (Some(subs), Some(sub)) => subs
            .iter()
            .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(sub))
            .map(|(n, _)| (spec.name, Some(*n))),
        _ => Some((spec.name, None)),
    }
}

/// The same static names (a fast test: equal names from two statics are
/// not the same, and are found by value instead).
fn same(a: &Key, b: &Key) -> bool {
    std::ptr::eq(a.0, b.0)
        && match (a.1, b.1) {
            (Some(x), Some(y)) => std::ptr::eq(x, y),
            (x, y) => x.is_none() && y.is_none(),
        }
}

fn name((command, sub): &Key) -> String {
    match sub {
        Some(sub) => format!("{command}|{sub}"),
        None => command.to_string(),
    }
}

/// The name a command's stats are kept under, as Redis looks it up: a
/// container with a known subcommand is `container|sub`; an unknown command
/// or subcommand has none.
pub fn stat_name(args: &[Vec<u8>]) -> Option<String> {
    key(cmd::find(args.first()?)?, args).as_ref().map(name)
}

impl Stats {
    fn entry(&mut self, spec: &'static cmd::Spec, args: &[Vec<u8>]) -> Option<&mut CommandStat> {
        let k = key(spec, args)?;
        let at = match self.commands.iter().position(|(have, _)| same(have, &k)) {
            Some(at) => at,
            None => {
                // First call, or the same name from another static: by value.
                let at = self.commands.partition_point(|(have, _)| *have < k);
                if self.commands.get(at).is_none_or(|(have, _)| *have != k) {
                    self.commands.insert(at, (k, CommandStat::default()));
                }
                at
            }
        };
        self.commands.get_mut(at).map(|(_, s)| s)
    }

    /// `args`, a `spec` command that ran, answered `reply`. (The caller
    /// has the spec already: no second name lookup per command.)
    pub fn called(&mut self, spec: &'static cmd::Spec, args: &[Vec<u8>], reply: &Reply) {
        if let Some(s) = self.entry(spec, args) {
            s.calls += 1;
            s.failed_calls += u64::from(matches!(reply, Reply::Error(_)));
        }
    }

    /// `args` was refused before it ran (an unknown name counts nowhere).
    pub fn rejected(&mut self, args: &[Vec<u8>]) {
        let Some(spec) = args.first().and_then(|n| cmd::find(n)) else {
            return;
        };
        if let Some(s) = self.entry(spec, args) {
            s.rejected_calls += 1;
        }
    }

    /// An error reply sent to a client: counted under its first word
    /// (Redis looks for the space in the first 32 bytes, or says ERR).
    pub fn error_reply(&mut self, reply: &Reply) {
        let Reply::Error(text) = reply else {
            return;
        };
        self.total_error_replies += 1;
        let space = text.bytes().take(31).position(|b| b == b' ');
        let code = space.and_then(|at| text.get(..at)).unwrap_or("ERR");
        *self.errors.entry(code.to_string()).or_default() += 1;
    }

    /// The error replies inside a reply that holds several (EXEC's).
    pub fn error_replies_in(&mut self, reply: &Reply) {
        match reply {
            Reply::Array(items) => items.iter().for_each(|r| self.error_reply(r)),
            other => self.error_reply(other),
        }
    }

    /// The line of `args`'s command (`GET x`, `CONFIG GET hz`).
    pub fn get(&self, args: &[Vec<u8>]) -> Option<CommandStat> {
        let spec = cmd::find(args.first()?)?;
        let k = key(spec, args)?;
        self.commands
            .iter()
            .find(|(have, _)| *have == k)
            .map(|(_, s)| *s)
    }

    /// Every command's line, by name (`config|get`).
    pub fn commands(&self) -> impl Iterator<Item = (String, &CommandStat)> {
        self.commands.iter().map(|(k, v)| (name(k), v))
    }

    /// INFO commandstats's lines (Redis lists them in its own table's
    /// order; here by name).
    pub fn command_lines(&self) -> Vec<(String, String)> {
        self.commands()
            .map(|(name, s)| {
                (
                    format!("cmdstat_{name}"),
                    format!(
                        "calls={},usec=0,usec_per_call=0.00,rejected_calls={},failed_calls={}",
                        s.calls, s.rejected_calls, s.failed_calls
                    ),
                )
            })
            .collect()
    }

    /// INFO errorstats's lines.
    pub fn error_lines(&self) -> Vec<(String, String)> {
        self.errors
            .iter()
            .map(|(code, n)| (format!("errorstat_{code}"), format!("count={n}")))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<Vec<u8>> {
        line.split(' ').map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn lines_are_kept_under_redis_s_names() {
        assert_eq!(stat_name(&args("get a")).as_deref(), Some("get"));
        assert_eq!(
            stat_name(&args("CONFIG GET hz")).as_deref(),
            Some("config|get")
        );
        assert_eq!(stat_name(&args("config")).as_deref(), Some("config"));
        assert_eq!(stat_name(&args("CONFIG FOO")), None, "unknown subcommand");
        assert_eq!(stat_name(&args("NOSUCH x")), None);
        assert_eq!(stat_name(&[]), None);
    }

    #[test]
    fn errors_count_under_their_first_word() {
        let mut s = Stats::default();
        for e in [
            "WRONGTYPE Operation against a key holding the wrong kind of value",
            "ERR syntax error",
            "NOSPACEINTHEFIRSTTHIRTYONEBYTES_AT_ALL and then one",
            "ERR",
            "é€ 😀 multibyte then space",
        ] {
            s.error_reply(&Reply::Error(e.into()));
        }
        s.error_replies_in(&Reply::Array(vec![
            Reply::Integer(1),
            Reply::Error("WRONGTYPE x".into()),
        ]));
        assert_eq!(s.total_error_replies, 6);
        let lines: Vec<String> = s
            .error_lines()
            .into_iter()
            .map(|(k, v)| format!("{k}:{v}"))
            .collect();
        assert_eq!(
            lines,
            [
                "errorstat_ERR:count=3",
                "errorstat_WRONGTYPE:count=2",
                "errorstat_é€:count=1"
            ]
        );
    }

    #[test]
    fn calls_failures_and_refusals_are_kept_apart() {
        let mut s = Stats::default();
        let get = cmd::find(b"get").expect("GET is a command");
        s.called(get, &args("GET a"), &Reply::Nil);
        s.called(get, &args("GET a"), &Reply::Error("WRONGTYPE x".into()));
        s.rejected(&args("GET"));
        s.rejected(&args("NOSUCH"));
        assert_eq!(
            s.get(&args("GET")),
            Some(CommandStat {
                calls: 2,
                rejected_calls: 1,
                failed_calls: 1
            })
        );
        assert_eq!(
            s.command_lines(),
            [(
                "cmdstat_get".to_string(),
                "calls=2,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=1".to_string()
            )]
        );
    }

    #[test]
    fn lines_stay_one_per_command_in_name_order_whatever_the_call_order() {
        let mut s = Stats::default();
        for line in [
            "SET k v",
            "config get hz",
            "GET k",
            "CONFIG",
            "CONFIG GET x",
            "get k",
            "Config Set hz 10",
        ] {
            let a = args(line);
            let spec = a.first().and_then(|n| cmd::find(n)).expect("a command");
            s.called(spec, &a, &Reply::Nil);
        }
        let names: Vec<String> = s
            .commands()
            .map(|(n, c)| format!("{n}={}", c.calls))
            .collect();
        assert_eq!(
            names,
            ["config=1", "config|get=2", "config|set=1", "get=2", "set=1"]
        );
    }
}
