//! The MONITOR view outside the DOM: the newest commands the store ran
//! (like `redis-cli MONITOR` lines: time, origin, command) and the INFO
//! fields a reader of the patterns cares about, read through core's INFO
//! code without running a command. No Leptos here: tested natively.

use playground_core::store::args::join_args;
use playground_core::store::cmd::server::info_fields;
use playground_core::store::{MonitorEntry, Store};
use playground_core::time::{format_clock, Millis};

use crate::text::{shorten, who};

/// Rows shown (newest first). Under load every row is new at each rebuild,
/// so this bounds the DOM work per rebuild too.
pub const ROWS: usize = 100;
/// Characters of a command line in a row.
const LINE_CHARS: usize = 160;
/// Bytes of one argument read for a row (a 1 MB SET is shown by its start).
const ARG_BYTES: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub seq: u64,
    pub time: String,
    /// `#<request id>` for the API, `console` for the console.
    pub origin: String,
    pub line: String,
    /// A real Redis's MONITOR would hide it (`MonitorEntry::is_admin`).
    pub admin: bool,
}

/// The INFO fields shown, as (section, field): the order of the table.
pub const FIELDS: &[(&str, &str)] = &[
    ("stats", "keyspace_hits"),
    ("stats", "keyspace_misses"),
    ("stats", "expired_keys"),
    ("stats", "expired_stale_perc"),
    ("stats", "evicted_keys"),
    ("stats", "total_commands_processed"),
    ("memory", "used_memory"),
    ("keyspace", "db0"),
];

/// The `n` most called commands by INFO commandstats's `calls`, most
/// first (ties by name): `GET 9,500 · SET 500`. Empty before any ran.
pub fn top_commands(store: &Store, n: usize) -> String {
    let mut all: Vec<(String, u64)> = store
        .server
        .stats
        .commands()
        .filter(|(_, s)| s.calls > 0)
        .map(|(name, s)| (name, s.calls))
        .collect();
    // Names come in order; a stable sort on calls, most first, keeps it
    // for ties.
    playground_core::sort::sort_by_u64_key(&mut all, |(_, calls)| u64::MAX - calls);
    all.iter()
        .take(n)
        .map(|(name, calls)| {
            format!(
                "{} {}",
                name.to_ascii_uppercase(),
                crate::widgets::keyspace::model::thousands(*calls as usize)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The newest `limit` commands from `since` on (a position in the feed:
/// the view's Clear sets it), newest first.
pub fn rows(store: &Store, since: u64, limit: usize) -> Vec<Row> {
    store
        .monitor()
        .entries()
        .rev()
        .take_while(|e| e.seq >= since)
        .take(limit)
        .map(row)
        .collect()
}

/// Where the feed stood at the view's last Clear, and in which of the
/// simulation's generations (`SimState::generation`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cleared {
    pub generation: u64,
    pub at: u64,
}

impl Cleared {
    /// Where the view starts in `generation`: a Reset's new store starts
    /// its feed at 0 again, and a Clear made in the old one no longer
    /// applies, however far the new feed has got.
    pub fn start(self, generation: u64) -> u64 {
        if generation == self.generation {
            self.at
        } else {
            0
        }
    }
}

/// The name the view's "Save log" gives the file.
pub const LOG_FILE_NAME: &str = "redis-playground-monitor.txt";

/// Every command the log still holds from `since` on, oldest first, one
/// per line as `redis-cli MONITOR` prints them: seconds (of virtual time
/// here, not Unix time), `[0 <client>]`, then each argument quoted as Redis
/// quotes it. The client is who sent it (`api#3`, `console`, `keyspace`),
/// or `lua` for a command a function ran, as in Redis. Whole arguments, not
/// the view's shortened ones: the file is for reading or grepping later.
pub fn log_file(store: &Store, since: u64) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for e in store.monitor().entries().filter(|e| e.seq >= since) {
        // The log's own name for the sender, as one word (`api #3` → `api#3`);
        // a function's commands say `lua` whoever called it.
        let client = e.who().replace(' ', "");
        let _ = writeln!(
            out,
            "{}.{:06} {}",
            e.at / 1_000,
            (e.at % 1_000) * 1_000,
            e.redis_line_as(&client)
        );
    }
    out
}

/// The newest `limit` commands that name `key` as one of their arguments
/// (any after the command's name), newest first: a key's own history, for
/// the key inspector. A command that carries the key's bytes as a value
/// shows too; that is rare, and it did touch the same bytes.
pub fn rows_naming(store: &Store, key: &[u8], limit: usize) -> Vec<Row> {
    store
        .monitor()
        .entries()
        .rev()
        .filter(|e| e.args.iter().skip(1).any(|a| a == key))
        .take(limit)
        .map(row)
        .collect()
}

fn row(e: &MonitorEntry) -> Row {
    let mut cut = false;
    let args: Vec<&[u8]> = e
        .args
        .iter()
        .map(|a| {
            cut |= a.len() > ARG_BYTES;
            a.get(..ARG_BYTES).unwrap_or(a)
        })
        .collect();
    let mut line = shorten(&join_args(&args), LINE_CHARS);
    if cut && !line.ends_with('…') {
        line.push('…');
    }
    Row {
        seq: e.seq,
        time: format_clock(e.at),
        origin: who(e),
        line,
        admin: e.is_admin(),
    }
}

/// The [`FIELDS`] with their values, as INFO prints them. `db0` shows
/// `keys=…,expires=…` (INFO leaves the line out for an empty keyspace: so
/// does Redis; here it reads `keys=0,expires=0`).
pub fn info(store: &Store, now: Millis) -> Vec<(&'static str, String)> {
    let sections = ["stats", "memory", "keyspace"].map(|s| (s, info_fields(store, s, now)));
    FIELDS
        .iter()
        .map(|&(section, field)| {
            let value = sections
                .iter()
                .find(|(s, _)| *s == section)
                .and_then(|(_, f)| f.iter().find(|(k, _)| *k == field))
                .map(|(_, v)| v.clone());
            let value = match (field, value) {
                ("db0", Some(v)) => v.split(",avg_ttl").next().unwrap_or_default().to_string(),
                ("db0", None) => "keys=0,expires=0".into(),
                (_, v) => v.unwrap_or_else(|| "—".into()),
            };
            (field, value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimState;
    use playground_core::api::Request;
    use playground_core::store::Origin;

    fn get<'a>(info: &'a [(&str, String)], k: &str) -> &'a str {
        info.iter()
            .find(|(f, _)| *f == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("missing")
    }

    #[test]
    fn the_most_called_commands_come_first_ties_by_name() {
        let mut st = SimState::new(1);
        assert_eq!(st.engine.with_store(|s| top_commands(s, 4)), "");
        for line in [
            "SET a 1", "GET a", "GET a", "GET b", "INCR c", "DEL a", "GET",
        ] {
            st.engine.console_line(line);
        }
        for _ in 0..1_200 {
            st.engine.console_line("EXISTS a");
        }
        // GET's refused arity counts as rejected, not as a call.
        assert_eq!(
            st.engine.with_store(|s| top_commands(s, 4)),
            "EXISTS 1,200 · GET 3 · DEL 1 · INCR 1"
        );
    }

    #[test]
    fn admin_commands_are_marked() {
        let mut st = SimState::new(1);
        st.engine.console_line("config set hz 10");
        st.engine.console_line("DEBUG SLEEP 0");
        st.engine.console_line("GET configured");
        st.engine.console_line("CONFIG HELP");
        let r = st.engine.with_store(|s| rows(s, 0, ROWS));
        let marked: Vec<(&str, bool)> = r.iter().map(|r| (r.line.as_str(), r.admin)).collect();
        assert_eq!(
            marked,
            [
                ("CONFIG HELP", false),
                ("GET configured", false),
                ("DEBUG SLEEP 0", true),
                ("config set hz 10", true)
            ]
        );
    }

    #[test]
    fn newest_first_with_origin_and_capped() {
        let mut st = SimState::new(1);
        st.engine.console_line("SET greeting hello EX 10");
        st.engine.send(Request::get("/products/1"));
        st.advance_by(2_000);
        st.engine.console_line("GET greeting");
        let r = st.engine.with_store(|s| rows(s, 0, ROWS));
        assert_eq!(r[0].line, "GET greeting");
        assert_eq!(r[0].origin, "console");
        assert_eq!(r[0].time, "00:02.000");
        assert_eq!(
            r.last().map(|r| r.line.as_str()),
            Some("SET greeting hello EX 10")
        );
        assert!(r
            .iter()
            .any(|r| r.origin == "#1" && r.line.starts_with("SET product:1 ")));
        for i in 0..500 {
            st.engine.console_line(&format!("INCR n{i}"));
        }
        let r = st.engine.with_store(|s| rows(s, 0, ROWS));
        assert_eq!(r.len(), ROWS);
        assert_eq!(r[0].line, "INCR n499");
        assert!(r.windows(2).all(|w| w[0].seq > w[1].seq));
    }

    #[test]
    fn a_functions_commands_are_marked_lua() {
        let mut st = SimState::new(1);
        st.engine.console_line("FCALL pg_fixed_window 1 fw 1000");
        let r = st.engine.with_store(|s| rows(s, 0, 4));
        let shown: Vec<(&str, &str)> = r
            .iter()
            .map(|r| (r.origin.as_str(), r.line.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("console lua", "PTTL fw"),
                ("console lua", "PEXPIRE fw 1000"),
                ("console lua", "INCR fw"),
                ("console", "FCALL pg_fixed_window 1 fw 1000"),
            ]
        );
    }

    #[test]
    fn the_saved_log_is_redis_cli_monitor_s_lines_from_the_clear_on() {
        let mut st = SimState::new(1);
        st.engine.console_line("SET before clear");
        let since = st.engine.with_store(|s| s.monitor().total());
        assert!(st.engine.with_store(|s| rows(s, since, ROWS)).is_empty());
        assert_eq!(st.engine.with_store(|s| log_file(s, since)), "");
        st.advance_by(1_234);
        st.engine.console_line(r#"SET "two words" "a\"quote" EX 5"#);
        st.engine.console_line("FCALL pg_fixed_window 1 fw 1000");
        st.engine.send(Request::get("/products/1"));
        let log = st.engine.with_store(|s| log_file(s, since));
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(
            lines.get(..5).unwrap_or_default(),
            [
                r#"1.234000 [0 console] "SET" "two words" "a\"quote" "EX" "5""#,
                r#"1.234000 [0 console] "FCALL" "pg_fixed_window" "1" "fw" "1000""#,
                r#"1.234000 [0 lua] "INCR" "fw""#,
                r#"1.234000 [0 lua] "PEXPIRE" "fw" "1000""#,
                r#"1.234000 [0 lua] "PTTL" "fw""#,
            ]
        );
        assert!(
            lines
                .iter()
                .skip(5)
                .all(|l| l.starts_with("1.234000 [0 api#1] ")),
            "{lines:?}"
        );
        assert!(lines.len() > 5, "the request's commands: {lines:?}");
        // Rows after the clear are the same commands, newest first.
        let r = st.engine.with_store(|s| rows(s, since, ROWS));
        assert_eq!(r.len(), lines.len());
        assert_eq!(
            r.last().map(|r| r.line.as_str()),
            Some(r#"SET "two words" "a\"quote" EX 5"#)
        );
        // A reset simulation's feed restarts below the Clear: all of it shows.
        let clear = Cleared {
            generation: 0,
            at: since,
        };
        assert_eq!(clear.start(1), 0);
        assert_eq!(clear.start(0), since);
        // From 0: everything the ring holds, oldest first.
        let all = st.engine.with_store(|s| log_file(s, 0));
        assert!(
            all.starts_with(r#"0.000000 [0 console] "SET" "before" "clear""#),
            "{all}"
        );
    }

    #[test]
    fn huge_and_binary_arguments_are_shown_short_and_quoted() {
        let mut st = SimState::new(1);
        st.engine.with_store_mut(|s| {
            s.execute(
                0,
                Origin::Console,
                &[
                    b"SET".to_vec(),
                    b"k\xff <img>".to_vec(),
                    vec![b'x'; 1 << 20],
                ],
            )
        });
        let r = st.engine.with_store(|s| rows(s, 0, 1));
        assert!(
            r[0].line.starts_with(r#"SET "k\xff <img>" xxxx"#),
            "{}",
            r[0].line
        );
        assert!(r[0].line.ends_with('…'));
        assert!(r[0].line.chars().count() <= LINE_CHARS + 1);
    }

    #[test]
    fn info_is_what_the_info_command_says() {
        let mut st = SimState::new(1);
        let i = st.engine.with_store(|s| info(s, 0));
        assert_eq!(get(&i, "db0"), "keys=0,expires=0");
        assert_eq!(get(&i, "keyspace_hits"), "0");
        st.engine.console_line("SET a 1 PX 100");
        st.engine.console_line("SET b 2");
        st.engine.console_line("GET b");
        st.engine.console_line("GET nope");
        let i = st.engine.with_store(|s| info(s, 0));
        assert_eq!(get(&i, "keyspace_hits"), "1");
        assert_eq!(get(&i, "keyspace_misses"), "1");
        assert_eq!(get(&i, "db0"), "keys=2,expires=1");
        assert_eq!(get(&i, "total_commands_processed"), "4");
        st.advance_by(2_000);
        let i = st.engine.with_store(|s| info(s, st.engine.now()));
        assert_eq!(get(&i, "expired_keys"), "1", "the active cycle reclaimed a");
        assert_eq!(get(&i, "db0"), "keys=1,expires=0");
        // Every field shown exists in INFO's output (no made-up names).
        let out = st.engine.console_line("INFO").unwrap_or_default();
        for (f, _) in &i {
            assert!(*f == "db0" || out.contains(&format!("{f}:")), "{f} in INFO");
        }
        assert_eq!(i.len(), FIELDS.len());
        assert!(get(&i, "used_memory").parse::<u64>().is_ok());
        assert!(get(&i, "expired_stale_perc").parse::<f64>().is_ok());
    }
}
