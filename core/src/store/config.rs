//! The settings CONFIG GET/SET can see, with Redis 7's names, defaults,
//! ranges and error texts.

use super::int::parse_i64;
use super::reply::Reply;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    NoEviction,
    AllKeysLru,
    VolatileLru,
    AllKeysLfu,
    VolatileLfu,
    AllKeysRandom,
    VolatileRandom,
    VolatileTtl,
}

impl Policy {
    /// In the order Redis lists them in its error message.
    pub const ALL: [Policy; 8] = [
        Policy::VolatileLru,
        Policy::VolatileLfu,
        Policy::VolatileRandom,
        Policy::VolatileTtl,
        Policy::AllKeysLru,
        Policy::AllKeysLfu,
        Policy::AllKeysRandom,
        Policy::NoEviction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Policy::NoEviction => "noeviction",
            Policy::AllKeysLru => "allkeys-lru",
            Policy::VolatileLru => "volatile-lru",
            Policy::AllKeysLfu => "allkeys-lfu",
            Policy::VolatileLfu => "volatile-lfu",
            Policy::AllKeysRandom => "allkeys-random",
            Policy::VolatileRandom => "volatile-random",
            Policy::VolatileTtl => "volatile-ttl",
        }
    }

    pub fn is_lfu(self) -> bool {
        matches!(self, Policy::AllKeysLfu | Policy::VolatileLfu)
    }

    /// Only keys with a TTL may be evicted.
    pub fn volatile_only(self) -> bool {
        matches!(
            self,
            Policy::VolatileLru
                | Policy::VolatileLfu
                | Policy::VolatileRandom
                | Policy::VolatileTtl
        )
    }
}

/// How the active expiry cycle works: Redis ≥ 6 (cursor, effort, time
/// budget, EMA), or the ≤ 5.0 algorithm the docs still describe (20 random
/// keys, repeat while more than 25% expired). Not a Redis setting: the
/// playground switches it with `CONFIG SET expire-mode modern|classic` (see
/// [`PLAYGROUND_PARAMS`]), so the switch shows in MONITOR.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpireMode {
    Modern,
    Classic,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub hz: u32,
    pub active_expire_effort: u32,
    pub maxmemory: u64,
    pub maxmemory_policy: Policy,
    pub maxmemory_samples: u32,
    pub lfu_log_factor: u32,
    pub lfu_decay_time: u32,
    /// `notify-keyspace-events`, as [`notify`] flags.
    pub notify_keyspace_events: u32,
    /// `DEBUG SET-ACTIVE-EXPIRE 0|1`.
    pub active_expire_enabled: bool,
    pub expire_mode: ExpireMode,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            hz: 10,
            active_expire_effort: 1,
            maxmemory: 0,
            maxmemory_policy: Policy::NoEviction,
            maxmemory_samples: 5,
            lfu_log_factor: 10,
            lfu_decay_time: 1,
            notify_keyspace_events: 0,
            active_expire_enabled: true,
            expire_mode: ExpireMode::Modern,
        }
    }
}

/// The parameters CONFIG knows, in the order CONFIG GET * lists them.
pub const PARAMS: &[&str] = &[
    "hz",
    "active-expire-effort",
    "maxmemory",
    "maxmemory-policy",
    "maxmemory-samples",
    "lfu-log-factor",
    "lfu-decay-time",
    "notify-keyspace-events",
];

/// Parameters only the playground has. CONFIG GET and SET accept them by
/// their exact name, but `CONFIG GET *` does not list them, so its answer
/// stays Redis's.
pub const PLAYGROUND_PARAMS: &[&str] = &["expire-mode"];

impl ExpireMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ExpireMode::Modern => "modern",
            ExpireMode::Classic => "classic",
        }
    }
}

impl Config {
    /// How the keyspace should track accesses under the current policy.
    pub fn lfu_params(&self) -> super::keyspace::LfuParams {
        super::keyspace::LfuParams {
            enabled: self.maxmemory_policy.is_lfu(),
            log_factor: self.lfu_log_factor,
            decay_minutes: u64::from(self.lfu_decay_time),
        }
    }

    /// The notification classes the keyspace records: those
    /// `notify-keyspace-events` asks for, if it also names a channel to
    /// send them on (K or E). Applied by CONFIG SET, like
    /// [`lfu_params`](Self::lfu_params).
    pub fn key_events(&self) -> u32 {
        let f = self.notify_keyspace_events;
        if f & (notify::KEYSPACE | notify::KEYEVENT) != 0 {
            f
        } else {
            0
        }
    }

    pub fn get(&self, name: &str) -> Option<String> {
        Some(match name {
            "hz" => self.hz.to_string(),
            "active-expire-effort" => self.active_expire_effort.to_string(),
            "maxmemory" => self.maxmemory.to_string(),
            "maxmemory-policy" => self.maxmemory_policy.as_str().to_string(),
            "maxmemory-samples" => self.maxmemory_samples.to_string(),
            "lfu-log-factor" => self.lfu_log_factor.to_string(),
            "lfu-decay-time" => self.lfu_decay_time.to_string(),
            "notify-keyspace-events" => notify::to_string(self.notify_keyspace_events),
            "expire-mode" => self.expire_mode.as_str().to_string(),
            _ => return None,
        })
    }

    /// Sets one parameter (`name` lower-cased). The error is Redis's text.
    pub fn set(&mut self, name: &str, value: &[u8]) -> Result<(), Reply> {
        let fail = |why: &str| {
            Reply::error(format!(
                "ERR CONFIG SET failed (possibly related to argument '{name}') - {why}"
            ))
        };
        let int = |lo: i64, hi: i64| -> Result<i64, Reply> {
            let n = parse_i64(value)
                .ok_or_else(|| fail("argument couldn't be parsed into an integer"))?;
            if n < lo || n > hi {
                return Err(fail(&format!(
                    "argument must be between {lo} and {hi} inclusive"
                )));
            }
            Ok(n)
        };
        match name {
            // Redis accepts 0..=INT_MAX and clamps it into 1..=500.
            "hz" => self.hz = int(0, i64::from(i32::MAX))?.clamp(1, 500) as u32,
            "active-expire-effort" => self.active_expire_effort = int(1, 10)? as u32,
            "maxmemory-samples" => self.maxmemory_samples = int(1, i64::from(i32::MAX))? as u32,
            "lfu-log-factor" => self.lfu_log_factor = int(0, i64::from(i32::MAX))? as u32,
            "lfu-decay-time" => self.lfu_decay_time = int(0, i64::from(i32::MAX))? as u32,
            "maxmemory" => {
                self.maxmemory =
                    parse_memory(value).ok_or_else(|| fail("argument must be a memory value"))?
            }
            "maxmemory-policy" => {
                let v = String::from_utf8_lossy(value).to_ascii_lowercase();
                self.maxmemory_policy = Policy::ALL
                    .into_iter()
                    .find(|p| p.as_str() == v)
                    .ok_or_else(|| {
                        let names: Vec<&str> = Policy::ALL.iter().map(|p| p.as_str()).collect();
                        fail(&format!(
                            "argument(s) must be one of the following: {}",
                            names.join(", ")
                        ))
                    })?;
            }
            "notify-keyspace-events" => {
                self.notify_keyspace_events = notify::parse(value)
                    .ok_or_else(|| fail("Invalid event class character. Use 'Ag$lshzxeKEtmdn'."))?
            }
            "expire-mode" => {
                let v = String::from_utf8_lossy(value).to_ascii_lowercase();
                self.expire_mode = match v.as_str() {
                    "modern" => ExpireMode::Modern,
                    "classic" => ExpireMode::Classic,
                    _ => {
                        return Err(fail(
                            "argument(s) must be one of the following: modern, classic",
                        ))
                    }
                };
            }
            _ => {
                return Err(Reply::error(format!(
                    "ERR Unknown option or number of arguments for CONFIG SET - '{name}'"
                )))
            }
        }
        Ok(())
    }
}

/// `notify-keyspace-events` classes, as Redis 7.0 reads and prints them.
/// The playground sends the events of the generic (g), string ($), list
/// (l), set (s), hash (h) and sorted-set (z) commands, `expired` (x),
/// `evicted` (e), `new` keys (n) and `keymiss` (m), as Redis 7.0 does;
/// streams (t) and modules (d) are accepted and shown, but nothing sends
/// them here.
pub mod notify {
    pub const GENERIC: u32 = 1 << 2;
    pub const STRING: u32 = 1 << 3;
    pub const LIST: u32 = 1 << 4;
    pub const SET: u32 = 1 << 5;
    pub const HASH: u32 = 1 << 6;
    pub const ZSET: u32 = 1 << 7;
    pub const EXPIRED: u32 = 1 << 8;
    pub const EVICTED: u32 = 1 << 9;
    pub const STREAM: u32 = 1 << 10;
    pub const KEY_MISS: u32 = 1 << 11;
    pub const MODULE: u32 = 1 << 12;
    pub const NEW: u32 = 1 << 13;
    pub const KEYSPACE: u32 = 1 << 0;
    pub const KEYEVENT: u32 = 1 << 1;
    /// `A`: every class but key misses and new keys.
    pub const ALL: u32 =
        GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /// The letters, in the order Redis prints them (after `A`).
    const LETTERS: [(u8, u32); 11] = [
        (b'g', GENERIC),
        (b'$', STRING),
        (b'l', LIST),
        (b's', SET),
        (b'h', HASH),
        (b'z', ZSET),
        (b'x', EXPIRED),
        (b'e', EVICTED),
        (b't', STREAM),
        (b'd', MODULE),
        (b'n', NEW),
    ];

    /// `None` for a character Redis does not know.
    pub fn parse(value: &[u8]) -> Option<u32> {
        value.iter().try_fold(0, |flags, &c| {
            let bit = match c {
                b'A' => ALL,
                b'K' => KEYSPACE,
                b'E' => KEYEVENT,
                b'm' => KEY_MISS,
                _ => LETTERS.iter().find(|(l, _)| *l == c)?.1,
            };
            Some(flags | bit)
        })
    }

    pub fn to_string(flags: u32) -> String {
        let mut out = String::new();
        if flags & ALL == ALL {
            out.push('A');
        } else {
            for (letter, bit) in LETTERS {
                if flags & bit != 0 {
                    out.push(char::from(letter));
                }
            }
        }
        for (letter, bit) in [('K', KEYSPACE), ('E', KEYEVENT), ('m', KEY_MISS)] {
            if flags & bit != 0 {
                out.push(letter);
            }
        }
        out
    }
}

/// Redis's `memtoull`: a whole number with an optional unit b, k, kb, m, mb,
/// g, gb (case-insensitive; k = 1000, kb = 1024).
pub fn parse_memory(v: &[u8]) -> Option<u64> {
    let s = std::str::from_utf8(v).ok()?.to_ascii_lowercase();
    let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(digits_end);
    let mul: u64 = match unit {
        "" | "b" => 1,
        "k" => 1_000,
        "kb" => 1_024,
        "m" => 1_000_000,
        "mb" => 1 << 20,
        "g" => 1_000_000_000,
        "gb" => 1 << 30,
        _ => return None,
    };
    // strtoull of an empty string is 0 with nothing left over: "mb" is 0.
    if num.is_empty() {
        return Some(0);
    }
    num.parse::<u64>().ok()?.checked_mul(mul)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_units_and_errors_like_redis() {
        assert_eq!(parse_memory(b"1gb"), Some(1 << 30));
        assert_eq!(parse_memory(b"10KB"), Some(10_240));
        assert_eq!(parse_memory(b"100"), Some(100));
        assert_eq!(parse_memory(b"1.5mb"), None);
        assert_eq!(parse_memory(b"mb"), Some(0));
        assert_eq!(parse_memory(b"12parsecs"), None);
        let mut c = Config::default();
        assert!(c.set("hz", b"600").is_ok());
        assert_eq!(c.hz, 500);
        assert_eq!(
            c.set("active-expire-effort", b"0"),
            Err(Reply::error(
                "ERR CONFIG SET failed (possibly related to argument 'active-expire-effort') - argument must be between 1 and 10 inclusive"
            ))
        );
        assert!(c.set("maxmemory-policy", b"ALLKEYS-LRU").is_ok());
        assert_eq!(c.maxmemory_policy, Policy::AllKeysLru);
    }

    #[test]
    fn expire_mode_is_a_playground_parameter() {
        let mut c = Config::default();
        assert_eq!(c.get("expire-mode").as_deref(), Some("modern"));
        assert!(c.set("expire-mode", b"CLASSIC").is_ok());
        assert_eq!(c.expire_mode, ExpireMode::Classic);
        assert_eq!(c.get("expire-mode").as_deref(), Some("classic"));
        assert!(c.set("expire-mode", b"redis5").is_err());
        assert_eq!(c.expire_mode, ExpireMode::Classic);
    }
}
