use crate::store::cmd::{Command, Ctx};
use crate::store::config::Config;
use crate::store::keyspace::Keyspace;
use crate::store::reply::Reply;
use crate::store::{ServerState, Store};
use crate::time::Millis;

/// `INFO [section …]` with the sections the playground models (server,
/// clients, memory, stats, keyspace), using Redis's field names and only
/// the fields it models exactly. Unknown sections give an empty reply, as
/// in Redis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Info {
    pub sections: Vec<String>,
}

/// Every section, in the order Redis prints them.
const ALL: [&str; 7] = [
    "server",
    "clients",
    "memory",
    "stats",
    "commandstats",
    "errorstats",
    "keyspace",
];

impl<'a> Command<'a> for Info {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        // As in Redis, the default (also a bare INFO) leaves commandstats out.
        let default = || {
            ALL.iter()
                .filter(|s| **s != "commandstats")
                .map(|s| s.to_string())
        };
        if args.len() == 1 {
            return Ok(Info {
                sections: default().collect(),
            });
        }
        let mut sections = Vec::new();
        for a in args.iter().skip(1) {
            match String::from_utf8_lossy(a).to_ascii_lowercase().as_str() {
                "all" | "everything" => sections.extend(ALL.iter().map(|s| s.to_string())),
                "default" => sections.extend(default()),
                s => sections.push(s.to_string()),
            }
        }
        Ok(Info { sections })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut out = String::new();
        for name in ALL.iter().filter(|n| self.sections.iter().any(|s| s == *n)) {
            if !out.is_empty() {
                out.push_str("\r\n");
            }
            out.push_str("# ");
            out.push_str(&name[..1].to_ascii_uppercase());
            out.push_str(&name[1..]);
            out.push_str("\r\n");
            let lines: Vec<(String, String)> = match *name {
                "commandstats" => ctx.server.stats.command_lines(),
                "errorstats" => ctx.server.stats.error_lines(),
                _ => section(name, ctx.ks, ctx.config, ctx.server, ctx.now)
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            };
            for (k, v) in lines {
                out.push_str(&format!("{k}:{v}\r\n"));
            }
        }
        Reply::Bulk(out.into_bytes())
    }
}

/// The `field:value` pairs of one INFO section as the command would print
/// them, read without running a command (so nothing is counted or logged):
/// for viewers such as the MONITOR panel.
pub fn info_fields(store: &Store, section_name: &str, now: Millis) -> Vec<(&'static str, String)> {
    section(
        section_name,
        &store.keyspace,
        &store.config,
        &store.server,
        now,
    )
}

fn section(
    name: &str,
    ks: &Keyspace,
    config: &Config,
    st: &ServerState,
    now: Millis,
) -> Vec<(&'static str, String)> {
    match name {
        "server" => vec![
            ("redis_version", "7.0.15".into()),
            ("redis_mode", "standalone".into()),
            ("executable", "redis-patterns-playground".into()),
            ("arch_bits", "64".into()),
            ("hz", config.hz.to_string()),
            ("configured_hz", config.hz.to_string()),
            ("uptime_in_seconds", (now / 1_000).to_string()),
            ("uptime_in_days", (now / 86_400_000).to_string()),
        ],
        // Not `connected_clients`: the page's consoles, inspector and API
        // are not connections that could be counted as Redis would.
        "clients" => vec![
            ("blocked_clients", st.blocked_clients.to_string()),
            (
                "clients_in_timeout_table",
                st.clients_in_timeout_table.to_string(),
            ),
        ],
        "memory" => {
            let used = ks.used_memory() as u64;
            let peak = st.used_memory_peak.max(ks.used_memory()) as u64;
            vec![
                ("used_memory", used.to_string()),
                ("used_memory_human", human(used)),
                ("used_memory_peak", peak.to_string()),
                ("used_memory_peak_human", human(peak)),
                ("maxmemory", config.maxmemory.to_string()),
                ("maxmemory_human", human(config.maxmemory)),
                ("maxmemory_policy", config.maxmemory_policy.as_str().into()),
            ]
        }
        "stats" => vec![
            (
                "total_commands_processed",
                st.commands_processed.to_string(),
            ),
            ("expired_keys", ks.stats.expired_keys.to_string()),
            (
                "expired_stale_perc",
                format!("{:.2}", st.expire.stale_perc * 100.0),
            ),
            (
                "expired_time_cap_reached_count",
                st.expire.time_cap_reached.to_string(),
            ),
            (
                "expire_cycle_cpu_milliseconds",
                (st.expire.work_ns_total / 1_000_000).to_string(),
            ),
            ("evicted_keys", ks.stats.evicted_keys.to_string()),
            ("keyspace_hits", ks.stats.keyspace_hits.to_string()),
            ("keyspace_misses", ks.stats.keyspace_misses.to_string()),
            (
                "pubsub_channels",
                st.subscriptions.channels.len().to_string(),
            ),
            (
                "pubsub_patterns",
                st.subscriptions.patterns.len().to_string(),
            ),
            (
                "total_error_replies",
                st.stats.total_error_replies.to_string(),
            ),
        ],
        "keyspace" if !ks.is_empty() => vec![(
            "db0",
            format!(
                "keys={},expires={},avg_ttl={}",
                ks.len(),
                ks.volatile_len(),
                st.expire.avg_ttl
            ),
        )],
        _ => Vec::new(),
    }
}

/// Redis's `bytesToHuman`: `512B`, `1.16M`, `2.00G`.
pub fn human(n: u64) -> String {
    let f = n as f64;
    const K: f64 = 1024.0;
    if f < K {
        format!("{n}B")
    } else if f < K * K {
        format!("{:.2}K", f / K)
    } else if f < K * K * K {
        format!("{:.2}M", f / (K * K))
    } else if f < K * K * K * K {
        format!("{:.2}G", f / (K * K * K))
    } else {
        format!("{:.2}T", f / (K * K * K * K))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Origin;

    #[test]
    fn info_fields_are_what_the_info_command_prints_and_change_nothing() {
        let mut s = Store::new();
        s.exec(0, Origin::Console, &["SET", "a", "1", "EX", "10"]);
        s.exec(0, Origin::Console, &["GET", "a"]);
        s.exec(0, Origin::Console, &["GET", "nope"]);
        let processed = s.commands_processed();
        let logged = s.monitor().total();
        let stats = info_fields(&s, "stats", 5);
        let keyspace = info_fields(&s, "keyspace", 5);
        assert_eq!(
            s.commands_processed(),
            processed,
            "reading INFO is not a command"
        );
        assert_eq!(s.monitor().total(), logged);
        let get =
            |f: &[(&str, String)], k: &str| f.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
        assert_eq!(get(&stats, "keyspace_hits").as_deref(), Some("1"));
        assert_eq!(get(&stats, "keyspace_misses").as_deref(), Some("1"));
        assert_eq!(
            get(&keyspace, "db0").as_deref(),
            Some("keys=1,expires=1,avg_ttl=0")
        );
        // The command prints exactly these lines.
        let crate::store::Reply::Bulk(text) = s.exec(5, Origin::Console, &["INFO", "stats"]) else {
            panic!("INFO answers a bulk string");
        };
        let text = String::from_utf8_lossy(&text).into_owned();
        for (k, v) in &stats {
            // total_commands_processed too: INFO does not count itself.
            let line = format!("{k}:{v}\r\n");
            assert!(text.contains(&line), "{line:?} in {text:?}");
        }
        assert!(info_fields(&s, "nonsense", 5).is_empty());
    }

    fn stat(s: &Store, field: &str) -> String {
        info_fields(s, "stats", 0)
            .into_iter()
            .find(|(k, _)| *k == field)
            .map(|(_, v)| v)
            .unwrap_or_default()
    }

    /// Figures read from redis-server 7.0.15 with the same commands.
    #[test]
    fn commands_are_counted_after_they_run_and_a_functions_calls_count_too() {
        let mut s = Store::new();
        s.exec(0, Origin::Console, &["CONFIG", "RESETSTAT"]);
        assert_eq!(stat(&s, "total_commands_processed"), "1");
        s.exec(
            0,
            Origin::Console,
            &["FCALL", "pg_fixed_window", "1", "fw", "1000"],
        );
        // FCALL, and the INCR, PEXPIRE and PTTL it ran.
        assert_eq!(stat(&s, "total_commands_processed"), "5");
        // Refused before running (arity): not counted.
        s.exec(0, Origin::Console, &["GET"]);
        assert_eq!(stat(&s, "total_commands_processed"), "5");
    }

    #[test]
    fn config_resetstat_zeroes_the_counters_and_keeps_the_peak() {
        let mut s = Store::new();
        s.exec(0, Origin::Console, &["SET", "a", "1", "PX", "10"]);
        s.exec(0, Origin::Console, &["SET", "b", "1"]);
        s.exec(0, Origin::Console, &["GET", "b"]);
        s.exec(0, Origin::Console, &["GET", "nope"]);
        s.exec(20, Origin::Console, &["GET", "a"]);
        assert_eq!(stat(&s, "expired_keys"), "1");
        assert_eq!(stat(&s, "keyspace_hits"), "1");
        assert_eq!(stat(&s, "keyspace_misses"), "2");
        let peak = info_fields(&s, "memory", 20);
        assert_eq!(
            s.exec(20, Origin::Console, &["CONFIG", "RESETSTAT", "x"]),
            Reply::error("ERR wrong number of arguments for 'config|resetstat' command")
        );
        assert_eq!(
            s.exec(20, Origin::Console, &["CONFIG", "resetstat"]),
            Reply::ok()
        );
        for (field, want) in [
            ("total_commands_processed", "1"),
            ("expired_keys", "0"),
            ("expired_stale_perc", "0.00"),
            ("evicted_keys", "0"),
            ("keyspace_hits", "0"),
            ("keyspace_misses", "0"),
        ] {
            assert_eq!(stat(&s, field), want, "{field}");
        }
        let get = |f: Vec<(&'static str, String)>| {
            f.into_iter()
                .find(|(k, _)| *k == "used_memory_peak")
                .map(|(_, v)| v)
        };
        assert_eq!(get(info_fields(&s, "memory", 20)), get(peak));
    }
}
