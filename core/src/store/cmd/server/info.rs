use crate::store::cmd::{Command, Ctx};
use crate::store::reply::Reply;

/// `INFO [section …]` with the sections the playground models (server,
/// memory, stats, keyspace), using Redis's field names. Unknown sections
/// give an empty reply, as in Redis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Info {
    pub sections: Vec<String>,
}

const ALL: [&str; 4] = ["server", "memory", "stats", "keyspace"];

impl Command for Info {
    fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        let mut sections = Vec::new();
        for a in args.iter().skip(1) {
            match String::from_utf8_lossy(a).to_ascii_lowercase().as_str() {
                "all" | "everything" | "default" => {
                    sections.extend(ALL.iter().map(|s| s.to_string()))
                }
                s => sections.push(s.to_string()),
            }
        }
        if args.len() == 1 {
            sections.extend(ALL.iter().map(|s| s.to_string()));
        }
        Ok(Info { sections })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let mut out = String::new();
        for name in ALL.iter().filter(|n| self.sections.iter().any(|s| s == *n)) {
            if !out.is_empty() {
                out.push_str("\r\n");
            }
            let lines = section(name, ctx);
            out.push_str(&format!(
                "# {}{}\r\n",
                name[..1].to_ascii_uppercase(),
                &name[1..]
            ));
            for (k, v) in lines {
                out.push_str(&format!("{k}:{v}\r\n"));
            }
        }
        Reply::Bulk(out.into_bytes())
    }
}

fn section(name: &str, ctx: &Ctx) -> Vec<(&'static str, String)> {
    let ks = &ctx.ks;
    let st = &ctx.server;
    match name {
        "server" => vec![
            ("redis_version", "7.0.15".into()),
            ("redis_mode", "standalone".into()),
            ("executable", "redis-patterns-playground".into()),
            ("arch_bits", "64".into()),
            ("hz", ctx.config.hz.to_string()),
            ("configured_hz", ctx.config.hz.to_string()),
            ("uptime_in_seconds", (ctx.now / 1_000).to_string()),
            ("uptime_in_days", (ctx.now / 86_400_000).to_string()),
        ],
        "memory" => {
            let used = ks.used_memory() as u64;
            let peak = st.used_memory_peak.max(ks.used_memory()) as u64;
            vec![
                ("used_memory", used.to_string()),
                ("used_memory_human", human(used)),
                ("used_memory_peak", peak.to_string()),
                ("used_memory_peak_human", human(peak)),
                ("maxmemory", ctx.config.maxmemory.to_string()),
                ("maxmemory_human", human(ctx.config.maxmemory)),
                (
                    "maxmemory_policy",
                    ctx.config.maxmemory_policy.as_str().into(),
                ),
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
