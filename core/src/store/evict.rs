//! Eviction when `used_memory` is over `maxmemory`, approximated as Redis
//! does (evict.c): instead of a true LRU/LFU order, sample
//! `maxmemory-samples` keys, keep the best candidates in a small pool across
//! rounds, and evict the best one; repeat until under the limit.

use super::config::{Config, Policy};
use super::keyspace::Keyspace;
use crate::rng::Rng;
use crate::time::Millis;

/// Redis's `EVPOOL_SIZE`.
const POOL_SIZE: usize = 16;

/// Candidates for eviction with their score (higher = evict first).
#[derive(Debug, Default)]
pub struct EvictionPool {
    entries: Vec<(u64, Vec<u8>)>,
}

/// The result of making room before a command runs.
#[derive(Debug, PartialEq, Eq)]
pub enum Room {
    /// Under the limit (or no limit).
    Ok,
    /// Still over the limit: nothing (more) could be evicted.
    Full,
}

/// Evicts until `used_memory <= maxmemory`. Returns the keys evicted and
/// whether there is room now.
pub fn make_room(
    ks: &mut Keyspace,
    config: &Config,
    pool: &mut EvictionPool,
    rng: &mut Rng,
    now: Millis,
) -> (Vec<Vec<u8>>, Room) {
    let mut evicted = Vec::new();
    if config.maxmemory == 0 {
        return (evicted, Room::Ok);
    }
    let policy = config.maxmemory_policy;
    // A bound so a pathological state cannot loop for ever.
    let mut attempts = ks.len() + 16;
    while ks.used_memory() as u64 > config.maxmemory {
        if policy == Policy::NoEviction || attempts == 0 {
            return (evicted, Room::Full);
        }
        attempts -= 1;
        let best = match policy {
            Policy::AllKeysRandom => ks
                .random_slot(rng)
                .and_then(|i| ks.slot(i))
                .map(|(k, _)| k.to_vec()),
            Policy::VolatileRandom => ks
                .random_volatile(rng)
                .and_then(|i| ks.volatile_slot(i))
                .map(|(k, _)| k.to_vec()),
            _ => {
                populate(ks, config, pool, rng, now);
                take_best(ks, pool)
            }
        };
        match best {
            Some(key) => {
                ks.evict(&key, now);
                evicted.push(key);
            }
            None => return (evicted, Room::Full),
        }
    }
    (evicted, Room::Ok)
}

/// Samples keys into the pool, scored by idle time (LRU), inverse frequency
/// (LFU) or nearness of expiry (TTL).
fn populate(ks: &Keyspace, config: &Config, pool: &mut EvictionPool, rng: &mut Rng, now: Millis) {
    let policy = config.maxmemory_policy;
    let volatile = policy.volatile_only();
    let n = if volatile {
        ks.volatile_len()
    } else {
        ks.len()
    };
    if n == 0 {
        return;
    }
    // Redis's dictGetSomeKeys never returns more keys than the dict holds:
    // asking for as many or more (`CONFIG SET maxmemory-samples 2147483647`
    // is accepted) samples every key once. Drawing that many at random
    // instead froze the page for minutes on one eviction.
    let samples = config.maxmemory_samples.max(1) as usize;
    let every_key = samples >= n;
    for draw in 0..samples.min(n) {
        let i = if every_key {
            draw
        } else {
            rng.up_to(n as u64 - 1) as usize
        };
        let slot = if volatile {
            ks.volatile_slot(i)
        } else {
            ks.slot(i)
        };
        let Some((key, entry)) = slot else { continue };
        let score = match policy {
            Policy::AllKeysLfu | Policy::VolatileLfu => 255 - u64::from(entry.lfu_counter()),
            Policy::VolatileTtl => u64::MAX - entry.expire_at().unwrap_or(u64::MAX),
            // LRU: idle time in ms.
            _ => now.saturating_sub(entry.last_access()),
        };
        if pool.entries.iter().any(|(_, k)| k.as_slice() == key) {
            continue;
        }
        pool.entries.push((score, key.to_vec()));
        crate::sort::sort_by_u64_key(&mut pool.entries, |e| e.0);
        if pool.entries.len() > POOL_SIZE {
            pool.entries.remove(0);
        }
    }
}

/// The highest-scored pool entry whose key still exists.
fn take_best(ks: &Keyspace, pool: &mut EvictionPool) -> Option<Vec<u8>> {
    while let Some((_, key)) = pool.entries.pop() {
        if ks.peek(&key).is_some() {
            return Some(key);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::value::Value;

    /// `n` keys `k0`, `k1`, … of 100 bytes, each set (last used) at the
    /// millisecond of its number: `k0` is the idlest.
    fn keys(n: u64) -> Keyspace {
        let mut ks = Keyspace::new();
        for i in 0..n {
            ks.set(
                format!("k{i}").as_bytes(),
                Value::Str(vec![b'x'; 100]),
                false,
                i,
            );
        }
        ks
    }

    #[test]
    fn lru_evicts_mostly_idle_keys_and_noeviction_refuses() {
        let mut ks = keys(200);
        // Keys 100..199 were used recently.
        for i in 100..200u64 {
            ks.lookup_read(format!("k{i}").as_bytes(), 10_000 + i);
        }
        let used = ks.used_memory() as u64;
        let mut config = Config {
            maxmemory: used / 2,
            maxmemory_policy: Policy::AllKeysLru,
            ..Config::default()
        };
        let mut pool = EvictionPool::default();
        let mut rng = Rng::new(1);
        let (evicted, room) = make_room(&mut ks, &config, &mut pool, &mut rng, 20_000);
        assert_eq!(room, Room::Ok);
        assert!(ks.used_memory() as u64 <= config.maxmemory);
        // k0…k99 are idle, k100…k199 (4 bytes long) were just read.
        let recent = evicted.iter().filter(|k| k.len() == 4).count();
        let old = evicted.len() - recent;
        assert!(
            old > recent * 3,
            "LRU prefers idle keys: {old} idle vs {recent} recent evicted"
        );

        config.maxmemory_policy = Policy::NoEviction;
        config.maxmemory = 1;
        let (none, room) = make_room(&mut ks, &config, &mut pool, &mut rng, 20_000);
        assert!(none.is_empty());
        assert_eq!(room, Room::Full);
    }

    /// Redis accepts any sample count up to 2^31 − 1 and samples at most
    /// every key: then the eviction is exact LRU, and it returns at once.
    #[test]
    fn more_samples_than_keys_sample_each_key_once() {
        let mut ks = keys(50);
        let config = Config {
            maxmemory: ks.used_memory() as u64 - 1,
            maxmemory_policy: Policy::AllKeysLru,
            maxmemory_samples: u32::try_from(i32::MAX).unwrap_or(u32::MAX),
            ..Config::default()
        };
        let mut pool = EvictionPool::default();
        let mut rng = Rng::new(3);
        let (evicted, room) = make_room(&mut ks, &config, &mut pool, &mut rng, 1_000);
        assert_eq!(room, Room::Ok);
        assert_eq!(evicted, [b"k0".to_vec()]);
        let half = Config {
            maxmemory: ks.used_memory() as u64 / 2,
            ..config
        };
        let (evicted, _) = make_room(&mut ks, &half, &mut pool, &mut rng, 1_000);
        let want: Vec<Vec<u8>> = (1..=evicted.len())
            .map(|i| format!("k{i}").into_bytes())
            .collect();
        assert_eq!(evicted, want, "exact LRU: the idlest first");
    }
}
