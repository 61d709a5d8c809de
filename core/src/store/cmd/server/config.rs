use crate::store::cmd::{arg, unknown_subcommand, Command, Ctx};
use crate::store::config::{PARAMS, PLAYGROUND_PARAMS};
use crate::store::reply::Reply;

/// `CONFIG GET name [name …]` / `CONFIG SET name value [name value …]` over
/// the parameters the playground models (see `store::config`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Config {
    Get(Vec<Vec<u8>>),
    Set(Vec<(String, Vec<u8>)>),
    /// `CONFIG RESETSTAT`: zero the INFO counters, as before a measurement.
    ResetStat,
    Help,
}

/// Redis 7.0's `CONFIG HELP`, line for line.
const HELP: &[&str] = &[
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
];

impl<'a> Command<'a> for Config {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let sub = args
            .get(1)
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        let rest = args.get(2..).unwrap_or_default();
        match sub.as_slice() {
            // Names and arities were checked before (`cmd::check`): GET has
            // a pattern, SET a name and a value, RESETSTAT nothing more.
            b"get" => Ok(Config::Get(rest.to_vec())),
            b"set" if rest.len() % 2 == 0 => {
                let pairs: Vec<(String, Vec<u8>)> = rest
                    .chunks(2)
                    .filter_map(|p| match p {
                        [n, v] => {
                            Some((String::from_utf8_lossy(n).to_ascii_lowercase(), v.clone()))
                        }
                        _ => None,
                    })
                    .collect();
                // Redis checks the whole call before changing anything.
                for (i, (name, _)) in pairs.iter().enumerate() {
                    if !PARAMS.contains(&name.as_str())
                        && !PLAYGROUND_PARAMS.contains(&name.as_str())
                    {
                        return Err(Reply::error(format!(
                            "ERR Unknown option or number of arguments for CONFIG SET - '{name}'"
                        )));
                    }
                    if pairs.iter().take(i).any(|(n, _)| n == name) {
                        return Err(Reply::error(format!(
                            "ERR CONFIG SET failed (possibly related to argument '{name}') - duplicate parameter"
                        )));
                    }
                }
                Ok(Config::Set(pairs))
            }
            b"resetstat" => Ok(Config::ResetStat),
            b"help" => Ok(Config::Help),
            // Like a server started without a file: there is none to write.
            b"rewrite" => Err(Reply::error(
                "ERR The server is running without a config file",
            )),
            // A name without its value.
            b"set" => Err(Reply::error("ERR syntax error")),
            _ => Err(unknown_subcommand(&arg(args, 0), &arg(args, 1))),
        }
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match self {
            Config::Get(patterns) => {
                let mut out = Vec::new();
                for p in patterns {
                    let lower = String::from_utf8_lossy(&p).to_ascii_lowercase();
                    if lower.contains(['*', '?', '[']) {
                        for name in PARAMS
                            .iter()
                            .filter(|n| glob(lower.as_bytes(), n.as_bytes()))
                        {
                            if let Some(v) = ctx.config.get(name) {
                                out.push(Reply::bulk(name.as_bytes()));
                                out.push(Reply::bulk(v));
                            }
                        }
                    } else if let Some(v) = ctx.config.get(&lower) {
                        // An exact name comes back as it was typed, as in Redis.
                        out.push(Reply::Bulk(p));
                        out.push(Reply::bulk(v));
                    }
                }
                Reply::Array(out)
            }
            Config::Set(pairs) => {
                // Apply all or nothing: on an error, restore the old values.
                let before = ctx.config.clone();
                for (name, value) in &pairs {
                    if let Err(e) = ctx.config.set(name, value) {
                        *ctx.config = before;
                        return e;
                    }
                }
                ctx.ks.set_lfu(ctx.config.lfu_params());
                ctx.ks.notify_classes = ctx.config.key_events();
                Reply::ok()
            }
            Config::Help => Reply::help(HELP),
            Config::ResetStat => {
                // What Redis 7.0's resetServerStats zeroes among the fields
                // the playground has; `used_memory_peak` and `avg_ttl` stay.
                ctx.server.commands_processed = 0;
                ctx.server.stats = Default::default();
                ctx.ks.stats = Default::default();
                ctx.server.expire.stale_perc = 0.0;
                ctx.server.expire.time_cap_reached = 0;
                ctx.server.expire.work_ns_total = 0;
                Reply::ok()
            }
        }
    }
}

/// Enough of Redis's glob for parameter names: `*`, `?` and literal bytes.
fn glob(p: &[u8], s: &[u8]) -> bool {
    match (p.split_first(), s.split_first()) {
        (None, None) => true,
        (Some((b'*', rest)), _) => {
            glob(rest, s) || s.split_first().is_some_and(|(_, st)| glob(p, st))
        }
        (Some((b'?', rest)), Some((_, st))) => glob(rest, st),
        (Some((c, rest)), Some((d, st))) if c == d => glob(rest, st),
        _ => false,
    }
}
