//! Every setting the engine exposes, by the name Redis or the article gives
//! it, with its range: the settings drawer draws this table, and the URL
//! (`?RATE_LIMIT_MAX_REQUESTS=5&hz=50`) is read through it. Values go
//! through the engine's own parsers: `ENV` for the API's settings, `CONFIG
//! SET` on the console path for the store's (so MONITOR shows the change).
//! No Leptos here: tested natively.

use playground_core::scenario::{apply_env, env_value};
use playground_core::store::config::parse_memory;

use crate::sim::SimState;
use crate::text::shorten;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A whole number within `min..=max`; values outside are clamped.
    Int {
        min: u64,
        max: u64,
    },
    Flag,
    Choice(&'static [&'static str]),
    /// A decimal number within `min..=max` (XFetch's β).
    Decimal {
        min: f64,
        max: f64,
    },
    /// Bytes, written as redis.conf and CONFIG SET take them (`1048576`,
    /// `100mb`, `1gb`: Redis's units); above `max` they are clamped.
    Memory {
        max: u64,
    },
    /// `notify-keyspace-events`' class letters (`KEA`, `Ex`, empty for
    /// none); the store says which letters it refuses, in Redis's words.
    Classes,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub group: &'static str,
    pub kind: Kind,
    /// Where the value lives: the API's settings or the store's CONFIG.
    pub target: Target,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Env,
    Config,
}

const fn int(
    name: &'static str,
    label: &'static str,
    group: &'static str,
    min: u64,
    max: u64,
) -> Field {
    Field {
        name,
        label,
        group,
        kind: Kind::Int { min, max },
        target: Target::Env,
    }
}
/// A whole-number parameter of the store's CONFIG, in the drawer's Store group.
const fn config_int(name: &'static str, label: &'static str, min: u64, max: u64) -> Field {
    Field {
        name,
        label,
        group: "Store",
        kind: Kind::Int { min, max },
        target: Target::Config,
    }
}
const fn flag(name: &'static str, label: &'static str, group: &'static str) -> Field {
    Field {
        name,
        label,
        group,
        kind: Kind::Flag,
        target: Target::Env,
    }
}

pub const ALGORITHMS: &[&str] = &[
    "article-fixed",
    "fixed-atomic",
    "fixed-aligned",
    "sliding-counter",
    "sliding-log",
    "token-bucket",
    "gcra",
];
pub const POLICIES: &[&str] = &[
    "noeviction",
    "allkeys-lru",
    "volatile-lru",
    "allkeys-lfu",
    "volatile-lfu",
    "allkeys-random",
    "volatile-random",
    "volatile-ttl",
];

pub const FIELDS: &[Field] = &[
    int(
        "PRODUCT_CACHE_TTL_SECONDS",
        "Product cache TTL (s)",
        "Cache",
        1,
        86_400,
    ),
    int(
        "PRODUCT_CACHE_TTL_JITTER_PERCENT",
        "TTL jitter (%)",
        "Cache",
        0,
        100,
    ),
    int(
        "NEGATIVE_CACHE_TTL_SECONDS",
        "Cache 404s for (s, 0 = off)",
        "Cache",
        0,
        86_400,
    ),
    flag(
        "CACHE_SINGLE_FLIGHT",
        "Single-flight lock on a miss",
        "Cache",
    ),
    int("CACHE_LOCK_TTL_MS", "Lock TTL (ms)", "Cache", 1, 60_000),
    int(
        "CACHE_LOCK_RETRY_MS",
        "Waiter retry (ms)",
        "Cache",
        1,
        60_000,
    ),
    int(
        "CACHE_LOCK_MAX_RETRIES",
        "Waiter retries",
        "Cache",
        0,
        1_000,
    ),
    Field {
        name: "CACHE_XFETCH_BETA",
        label: "XFetch β (0 = off)",
        group: "Cache",
        kind: Kind::Decimal {
            min: 0.0,
            max: 10.0,
        },
        target: Target::Env,
    },
    int(
        "CACHE_STALE_WHILE_REVALIDATE_SECONDS",
        "Serve stale while refreshing (s)",
        "Cache",
        0,
        86_400,
    ),
    flag(
        "CACHE_ERRORS_FALL_BACK",
        "On a Redis error, read the database",
        "Cache",
    ),
    flag(
        "RATE_LIMIT_ENABLED",
        "Rate limit GET /products/:id",
        "Rate limit",
    ),
    Field {
        name: "RATE_LIMIT_ALGORITHM",
        label: "Algorithm",
        group: "Rate limit",
        kind: Kind::Choice(ALGORITHMS),
        target: Target::Env,
    },
    int(
        "RATE_LIMIT_MAX_REQUESTS",
        "Requests per window",
        "Rate limit",
        1,
        1_000_000,
    ),
    int(
        "RATE_LIMIT_WINDOW_SECONDS",
        "Window (s)",
        "Rate limit",
        1,
        86_400,
    ),
    Field {
        name: "RATE_LIMIT_IDENTIFIER",
        label: "Count requests per",
        group: "Rate limit",
        kind: Kind::Choice(&["ip", "user", "tenant"]),
        target: Target::Env,
    },
    Field {
        name: "RATE_LIMIT_ON_REDIS_ERROR",
        label: "When Redis fails",
        group: "Rate limit",
        kind: Kind::Choice(&["error", "open", "closed"]),
        target: Target::Env,
    },
    flag(
        "RATE_LIMIT_ATOMIC",
        "One atomic FCALL per check",
        "Rate limit",
    ),
    int(
        "IMPORT_STATUS_TTL_SECONDS",
        "Import status TTL (s)",
        "Imports",
        1,
        604_800,
    ),
    int(
        "IMPORT_BATCH_ROWS",
        "Rows per batch",
        "Imports",
        1,
        1_000_000,
    ),
    int(
        "IMPORT_BATCH_MS",
        "Time per batch (ms)",
        "Imports",
        1,
        3_600_000,
    ),
    int(
        "REDIS_LATENCY_MS",
        "Redis round trip (ms)",
        "Latency",
        0,
        10_000,
    ),
    int("DB_LATENCY_MS", "Database query (ms)", "Latency", 0, 60_000),
    int("DB_JITTER_MS", "Database jitter (ms)", "Latency", 0, 60_000),
    int(
        "SIGNING_KEY_UPSTREAM_LATENCY_MS",
        "Signing-key service (ms)",
        "Latency",
        0,
        60_000,
    ),
    int(
        "SIGNING_KEY_CACHE_TTL_SECONDS",
        "Signing-key cache TTL (s)",
        "Latency",
        1,
        86_400,
    ),
    flag("FAULT_REDIS_DOWN", "Redis is down", "Faults"),
    int(
        "FAULT_REDIS_SLOW_MS",
        "Redis slower by (ms)",
        "Faults",
        0,
        60_000,
    ),
    flag("FAULT_DB_DOWN", "Database is down", "Faults"),
    int(
        "FAULT_DB_SLOW_MS",
        "Database slower by (ms)",
        "Faults",
        0,
        60_000,
    ),
    flag(
        "FAULT_CRASH_AFTER_INCR",
        "API dies between INCR and EXPIRE",
        "Faults",
    ),
    config_int("hz", "Server cron frequency", 1, 500),
    config_int("active-expire-effort", "Active expiry effort", 1, 10),
    // Not a Redis parameter: the playground's switch between Redis 7's
    // cycle and the classic <= 5.0 one, on the same CONFIG SET path.
    Field {
        name: "expire-mode",
        label: "Active expiry algorithm",
        group: "Store",
        kind: Kind::Choice(&["modern", "classic"]),
        target: Target::Config,
    },
    Field {
        name: "maxmemory",
        label: "Memory limit (bytes or 64mb, 0 = none)",
        group: "Store",
        kind: Kind::Memory { max: 1 << 40 },
        target: Target::Config,
    },
    Field {
        name: "maxmemory-policy",
        label: "Eviction policy",
        group: "Store",
        kind: Kind::Choice(POLICIES),
        target: Target::Config,
    },
    // Ranges as Redis 7's CONFIG SET takes them, so that whatever the
    // console set also comes back from a link unclamped.
    config_int(
        "maxmemory-samples",
        "Keys sampled per eviction",
        1,
        i32::MAX as u64,
    ),
    config_int(
        "lfu-log-factor",
        "LFU counter's log factor",
        0,
        i32::MAX as u64,
    ),
    config_int(
        "lfu-decay-time",
        "LFU decay period (minutes)",
        0,
        i32::MAX as u64,
    ),
    Field {
        name: "notify-keyspace-events",
        label: "Keyspace notifications (classes)",
        group: "Store",
        kind: Kind::Classes,
        target: Target::Config,
    },
];

/// Longest `notify-keyspace-events` value taken: every class letter once
/// is 15 characters.
const CLASSES_MAX: usize = 32;

pub fn field(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The current value, as the drawer's input and the URL write it.
pub fn read(st: &SimState, f: &Field) -> String {
    match f.target {
        Target::Env => env_value(&st.engine.settings(), f.name).unwrap_or_default(),
        Target::Config => st
            .engine
            .with_store(|s| s.config.get(f.name))
            .unwrap_or_default(),
    }
}

/// Every setting with its value where it differs from a fresh page's, or
/// `None` where it does not: what the address bar carries, so that a link
/// reproduces what the reader changed, in the drawer, a widget or the
/// console alike.
/// `defaults` are [`defaults`], read once per page.
pub fn url_params(st: &SimState, defaults: &[String]) -> Vec<(&'static str, Option<String>)> {
    FIELDS
        .iter()
        .zip(defaults)
        .map(|(f, d)| {
            let v = read(st, f);
            let changed = v != *d;
            (f.name, changed.then_some(v))
        })
        .collect()
}

/// Every setting's value on a fresh page, in [`FIELDS`] order.
pub fn defaults() -> Vec<String> {
    let fresh = SimState::new(0);
    FIELDS.iter().map(|f| read(&fresh, f)).collect()
}

/// What applying a value did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    Set,
    /// Out of range: this value was used instead; the text says so.
    Clamped(String, String),
    /// Refused; the text says why (Redis's or the engine's words).
    Refused(String),
}

/// Validates `raw` for `f` (clamping numbers into range) and applies it.
pub fn apply(st: &mut SimState, f: &Field, raw: &str) -> Applied {
    let raw = raw.trim();
    let (value, clamped) = match f.kind {
        Kind::Int { min, max } => match whole_number(raw) {
            Some(n) => {
                let v = n.clamp(min as i64, max as i64) as u64;
                (v.to_string(), v as i64 != n)
            }
            None => {
                return Applied::Refused(format!(
                    "{} needs a whole number from {min} to {max}, not “{}”.",
                    f.name,
                    shorten(raw, 40)
                ))
            }
        },
        Kind::Memory { max } => match parse_memory(raw.as_bytes()) {
            Some(n) => {
                let v = n.min(max);
                (v.to_string(), v != n)
            }
            None => {
                return Applied::Refused(format!(
                    "{} needs bytes, or a number with one of Redis's units (64mb, 1gb), not “{}”.",
                    f.name,
                    shorten(raw, 40)
                ))
            }
        },
        Kind::Decimal { min, max } => match raw.parse::<f64>() {
            Ok(x) if x.is_finite() => {
                let v = x.clamp(min, max);
                (format!("{v}"), v != x)
            }
            _ => {
                return Applied::Refused(format!(
                    "{} needs a number from {min} to {max}, not “{}”.",
                    f.name,
                    shorten(raw, 40)
                ))
            }
        },
        Kind::Flag => match raw {
            "true" | "1" | "on" => ("true".to_string(), false),
            "false" | "0" | "off" => ("false".to_string(), false),
            _ => {
                return Applied::Refused(format!(
                    "{} is true or false, not “{}”.",
                    f.name,
                    shorten(raw, 40)
                ))
            }
        },
        // Quoted on the CONFIG SET line below: only letters and `$` go in,
        // so a value can neither break out of the quotes nor add arguments.
        Kind::Classes => {
            if raw.len() > CLASSES_MAX || !raw.bytes().all(|b| b.is_ascii_alphabetic() || b == b'$')
            {
                return Applied::Refused(format!(
                    "{} takes event class letters such as KEA or Ex, not “{}”.",
                    f.name,
                    shorten(raw, 40)
                ));
            }
            (format!("\"{raw}\""), false)
        }
        Kind::Choice(options) => match options.iter().find(|o| o.eq_ignore_ascii_case(raw)) {
            Some(o) => (o.to_string(), false),
            None => {
                return Applied::Refused(format!(
                    "{} is one of {}, not “{}”.",
                    f.name,
                    options.join(", "),
                    shorten(raw, 40)
                ))
            }
        },
    };
    let result = match f.target {
        Target::Env => apply_env(&mut st.engine, f.name, &value),
        Target::Config => {
            // The one command path: MONITOR shows the CONFIG SET.
            let line = format!("CONFIG SET {} {value}", f.name);
            match st.engine.console_line(&line) {
                Some(out) if out.starts_with("(error)") => Err(out),
                _ => Ok(()),
            }
        }
    };
    st.collect();
    match result {
        Err(why) => Applied::Refused(why),
        Ok(()) if clamped => Applied::Clamped(
            value.clone(),
            format!(
                "{}={} is out of range, so {value} is used.",
                f.name,
                shorten(raw, 40)
            ),
        ),
        Ok(()) => Applied::Set,
    }
}

/// A whole number; one too long for i64 saturates (it is out of every
/// range anyway, so it is clamped like any other).
fn whole_number(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.parse::<i64>().unwrap_or(if s.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use playground_core::scenario::SETTINGS;

    #[test]
    fn every_engine_setting_has_a_field_and_reads_back() {
        for name in SETTINGS {
            assert!(field(name).is_some(), "{name} missing from the drawer");
        }
        // The store's too: every parameter CONFIG GET * lists, and the
        // playground's own.
        for name in playground_core::store::config::PARAMS
            .iter()
            .chain(playground_core::store::config::PLAYGROUND_PARAMS)
        {
            assert!(field(name).is_some(), "{name} missing from the drawer");
        }
        let mut st = SimState::new(1);
        for f in FIELDS {
            let v = read(&st, f);
            // No notification classes is Redis's default: an empty value.
            assert!(
                !v.is_empty() || f.kind == Kind::Classes,
                "{} reads empty",
                f.name
            );
            assert_eq!(apply(&mut st, f, &v), Applied::Set, "{} = {v}", f.name);
            assert_eq!(read(&st, f), v);
        }
    }

    #[test]
    fn values_are_clamped_or_refused_with_words() {
        let mut st = SimState::new(1);
        let ttl = field("PRODUCT_CACHE_TTL_SECONDS").expect("field");
        assert!(
            matches!(apply(&mut st, ttl, "999999999999999999999999"), Applied::Clamped(v, _) if v == "86400")
        );
        assert_eq!(
            apply(&mut st, ttl, "ten"),
            Applied::Refused(
                "PRODUCT_CACHE_TTL_SECONDS needs a whole number from 1 to 86400, not “ten”.".into()
            )
        );
        assert!(matches!(apply(&mut st, ttl, "-5"), Applied::Clamped(v, _) if v == "1"));
        assert_eq!(read(&st, ttl), "1");
        let algo = field("RATE_LIMIT_ALGORITHM").expect("field");
        assert_eq!(apply(&mut st, algo, "GCRA"), Applied::Set);
        assert_eq!(read(&st, algo), "gcra");
        assert!(
            matches!(apply(&mut st, algo, "<img src=x>"), Applied::Refused(t) if t.contains("<img src=x>"))
        );
        let hz = field("hz").expect("field");
        assert!(matches!(apply(&mut st, hz, "5000"), Applied::Clamped(v, _) if v == "500"));
        assert_eq!(read(&st, hz), "500");
        // The change went through the console path: MONITOR has it.
        let last = st
            .engine
            .with_store(|s| s.monitor().entries().last().map(|e| e.command_line()));
        assert_eq!(last.as_deref(), Some("CONFIG SET hz 500"));
        let mode = field("expire-mode").expect("field");
        assert_eq!(apply(&mut st, mode, "classic"), Applied::Set);
        assert_eq!(read(&st, mode), "classic");
        let beta = field("CACHE_XFETCH_BETA").expect("field");
        assert!(matches!(apply(&mut st, beta, "50"), Applied::Clamped(v, _) if v == "10"));
        assert!(matches!(apply(&mut st, beta, "NaN"), Applied::Refused(_)));
        // maxmemory takes Redis's units, as redis.conf and CONFIG SET do.
        let mem = field("maxmemory").expect("field");
        assert_eq!(apply(&mut st, mem, "64mb"), Applied::Set);
        assert_eq!(read(&st, mem), "67108864");
        assert_eq!(apply(&mut st, mem, "1KB"), Applied::Set);
        assert_eq!(read(&st, mem), "1024");
        assert!(
            matches!(apply(&mut st, mem, "5000gb"), Applied::Clamped(v, _) if v == "1099511627776")
        );
        assert_eq!(
            apply(&mut st, mem, "1.5mb"),
            Applied::Refused(
                "maxmemory needs bytes, or a number with one of Redis's units (64mb, 1gb), not “1.5mb”."
                    .into()
            )
        );
        assert_eq!(
            read(&st, mem),
            "1099511627776",
            "a refused value changes nothing"
        );
        let samples = field("maxmemory-samples").expect("field");
        assert!(matches!(apply(&mut st, samples, "0"), Applied::Clamped(v, _) if v == "1"));
        assert_eq!(apply(&mut st, samples, "10"), Applied::Set);
        assert_eq!(read(&st, samples), "10");
        // Keyspace notifications: Redis prints the classes in its own order.
        let classes = field("notify-keyspace-events").expect("field");
        assert_eq!(apply(&mut st, classes, "KEA"), Applied::Set);
        assert_eq!(read(&st, classes), "AKE");
        let last = st
            .engine
            .with_store(|s| s.monitor().entries().last().map(|e| e.command_line()));
        assert_eq!(
            last.as_deref(),
            Some("CONFIG SET notify-keyspace-events KEA")
        );
        assert_eq!(
            apply(&mut st, classes, "K\" \"x"),
            Applied::Refused(
                "notify-keyspace-events takes event class letters such as KEA or Ex, not “K\" \"x”."
                    .into()
            )
        );
        assert!(
            matches!(apply(&mut st, classes, "Kq"), Applied::Refused(t) if t.contains("Invalid event class character")),
            "the store's own words for a letter it does not know"
        );
        assert_eq!(read(&st, classes), "AKE", "a refused value changes nothing");
        assert_eq!(apply(&mut st, classes, ""), Applied::Set);
        assert_eq!(read(&st, classes), "");
    }

    #[test]
    fn the_url_carries_exactly_the_settings_that_differ_from_a_fresh_page() {
        let mut st = SimState::new(3);
        let d = defaults();
        assert!(url_params(&st, &d).iter().all(|(_, v)| v.is_none()));
        // Changed the way a widget does (not through the drawer) and the
        // way the console does.
        let mut s = st.engine.settings();
        s.rate_limit.algorithm = playground_core::api::rate_limit::Algorithm::Gcra;
        st.engine.set_settings(s);
        st.engine.console_line("CONFIG SET hz 50");
        let changed: Vec<(&str, String)> = url_params(&st, &d)
            .into_iter()
            .filter_map(|(n, v)| Some((n, v?)))
            .collect();
        assert_eq!(
            changed,
            [
                ("RATE_LIMIT_ALGORITHM", "gcra".to_string()),
                ("hz", "50".to_string())
            ]
        );
        // Back to the default: the parameter goes away.
        st.engine.console_line("CONFIG SET hz 10");
        assert_eq!(
            url_params(&st, &d)
                .iter()
                .filter(|(_, v)| v.is_some())
                .count(),
            1
        );
    }
}
