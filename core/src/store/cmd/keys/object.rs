use crate::store::cmd::{arg, unknown_subcommand, Ctx};
use crate::store::config::Policy;
use crate::store::keyspace::{Built, Entry};
use crate::store::{int::parse_i64, reply::Reply, value::Value};
use crate::time::Millis;

/// Redis's help text, line for line.
const HELP: &[&str] = &[
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
    "HELP",
    "    Prints this help.",
];

const SWITCHING: &str = "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

/// Redis's `OBJ_SHARED_REFCOUNT`: what REFCOUNT shows for a shared integer.
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sub {
    Encoding,
    Freq,
    IdleTime,
    RefCount,
    Help,
}

/// `OBJECT ENCODING|FREQ|IDLETIME|REFCOUNT key`, `OBJECT HELP`.
///
/// In Redis these are subcommands with their own arity (so `OBJECT FREQ`
/// without a key is an arity error naming `object|freq`), and none of them
/// touches the key (no LRU/LFU update, no hit or miss). A missing key is
/// `(nil)`, checked before the policy: FREQ needs an LFU policy, IDLETIME
/// needs a non-LFU one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    pub sub: Sub,
    pub key: Vec<u8>,
}

impl Object {
    /// The subcommand's name and arity were checked before it got here
    /// (`cmd::check`, Redis's subcommand table).
    pub fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        let name = arg(args, 1);
        let sub = match name.to_ascii_lowercase().as_slice() {
            b"encoding" => Sub::Encoding,
            b"freq" => Sub::Freq,
            b"idletime" => Sub::IdleTime,
            b"refcount" => Sub::RefCount,
            b"help" => Sub::Help,
            _ => return Err(unknown_subcommand(&arg(args, 0), &name)),
        };
        Ok(Object {
            sub,
            key: arg(args, 2),
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        if self.sub == Sub::Help {
            return Reply::help(HELP);
        }
        let Some(entry) = super::lookup_object(ctx.ks, &self.key, now) else {
            return Reply::Nil;
        };
        let policy = ctx.config.maxmemory_policy;
        match self.sub {
            Sub::Encoding => Reply::bulk(encoding(&entry.value, entry.built())),
            Sub::Freq if !policy.is_lfu() => Reply::error(format!(
                "ERR An LFU maxmemory policy is not selected, access frequency not tracked. {SWITCHING}"
            )),
            Sub::Freq => Reply::Integer(freq(entry, now, ctx.config.lfu_decay_time) as i64),
            Sub::IdleTime if policy.is_lfu() => Reply::error(format!(
                "ERR An LFU maxmemory policy is selected, idle time not tracked. {SWITCHING}"
            )),
            Sub::IdleTime => Reply::Integer(idle_seconds(entry, now) as i64),
            Sub::RefCount => {
                // Small non-negative integers share one object, unless the
                // policy needs a per-key LRU/LFU field.
                let shared_ok = ctx.config.maxmemory == 0
                    || !(policy.is_lfu()
                        || matches!(policy, Policy::AllKeysLru | Policy::VolatileLru));
                let shared = match &entry.value {
                    Value::Str(s) if encoding(&entry.value, entry.built()) == "int" => {
                        parse_i64(s).is_some_and(|n| (0..10_000).contains(&n))
                    }
                    _ => false,
                };
                Reply::Integer(if shared && shared_ok { SHARED_REFCOUNT } else { 1 })
            }
            Sub::Help => Reply::Nil,
        }
    }
}

/// `OBJECT IDLETIME`: Redis keeps access times on a clock of whole
/// seconds, so the idle time is a difference of whole seconds.
pub fn idle_seconds(entry: &Entry, now: Millis) -> u64 {
    (now / 1000).saturating_sub(entry.last_access() / 1000)
}

/// `OBJECT FREQ`, Redis's LFUDecrAndReturn: the counter as stored, less one
/// per `lfu-decay-time` minutes since the last access (the store records
/// the decay minute on every access under LFU).
pub fn freq(entry: &Entry, now: Millis, lfu_decay_time: u32) -> u64 {
    let idle_minutes = (now / 60_000).saturating_sub(entry.last_access() / 60_000);
    let periods = idle_minutes
        .checked_div(u64::from(lfu_decay_time))
        .unwrap_or(0);
    u64::from(entry.lfu_counter()).saturating_sub(periods)
}

/// Redis 7.0's encoding names. Strings: `int` when the text is a canonical
/// 64-bit integer, `embstr` up to 44 bytes, `raw` beyond, except where the
/// history decides (see [`Built`]): APPEND makes `raw`, INCRBYFLOAT never
/// `int`. Hashes and sorted sets are listpacks within 7.0's default limits
/// (512 fields for a hash, 128 members for a sorted set, 64-byte elements)
/// until they outgrow them, then stay
/// `hashtable`/`skiplist`; lists are always `quicklist` in 7.0; a set is an
/// `intset` until a word or a 513th member makes it a `hashtable`.
pub fn encoding(v: &Value, built: Built) -> &'static str {
    match v {
        Value::Str(_) if built == Built::InPlace => "raw",
        Value::Str(s) if built != Built::FromFloat && is_int_encodable(s) => "int",
        Value::Str(s) if s.len() <= 44 => "embstr",
        Value::Str(_) => "raw",
        Value::Hash(_) if built == Built::Grown || v.hash_outgrew_listpack() => "hashtable",
        Value::Hash(_) => "listpack",
        Value::List(_) => "quicklist",
        Value::Set(s) if s.is_intset() => "intset",
        Value::Set(_) => "hashtable",
        Value::ZSet(z) if z.is_skiplist() => "skiplist",
        Value::ZSet(_) => "listpack",
    }
}

/// What Redis's `tryObjectEncoding` stores as an integer: at most 20 bytes
/// that read back as the same 64-bit integer.
fn is_int_encodable(s: &[u8]) -> bool {
    s.len() <= 20 && parse_i64(s).is_some()
}
