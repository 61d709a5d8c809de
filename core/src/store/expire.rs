//! Active expiry: how Redis finds expired keys that nobody reads.
//!
//! Two algorithms, selectable because both are taught:
//! - **Modern** (Redis ≥ 6, `activeExpireCycle` in expire.c): a persistent
//!   cursor walks the keys that have a TTL; each loop samples
//!   `20 + 5·(effort−1)` keys and expires the dead ones; loops repeat while
//!   more than `10 − (effort−1)` % of the sample was expired, until a time
//!   budget of `25 + 2·(effort−1)` % of the tick is used. An exponential
//!   moving average of the stale share decides whether the extra *fast*
//!   cycle (run before the server sleeps) is worth it.
//! - **Classic** (Redis ≤ 5.0, what the EXPIRE docs still describe): 20
//!   random keys with a TTL per loop, repeat while more than 25 % expired.
//!
//! Time here is virtual, so the time budget is a work budget: every sampled
//! key costs [`KEY_COST_NS`] virtual nanoseconds and every loop
//! [`LOOP_COST_NS`]; the cycle stops when the work exceeds the budget,
//! checked every 16 loops as Redis checks its clock.

use super::config::{Config, ExpireMode};
use super::keyspace::{ExpiryKind, Keyspace};
use crate::rng::Rng;
use crate::time::Millis;

/// Virtual cost of checking (and, if due, deleting) one key. Calibrated on a
/// real Redis 7.0 (`bench_expiry`): it reclaimed bursts of ~37,000 keys in a
/// 25 ms tick without reaching its time cap, i.e. well under 0.7 µs a key.
pub const KEY_COST_NS: u64 = 500;
/// Virtual cost of one sampling loop (bookkeeping, cursor moves).
pub const LOOP_COST_NS: u64 = 200;
/// Most keys a report lists by name; counts are always complete.
pub const REPORT_KEYS: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CycleKind {
    /// From the periodic cron, `hz` times per second.
    Slow,
    /// Before sleeping, short, only when many keys seem stale.
    Fast,
}

/// What one cycle did, for the UI to animate and for tests.
#[derive(Clone, Debug, PartialEq)]
pub struct CycleReport {
    pub at: Millis,
    pub kind: CycleKind,
    pub mode: ExpireMode,
    pub loops: u32,
    pub sampled: u64,
    pub expired: u64,
    /// The first [`REPORT_KEYS`] keys sampled, and whether each was expired.
    pub sample: Vec<(Vec<u8>, bool)>,
    /// Virtual nanoseconds of work.
    pub work_ns: u64,
    /// Stopped because the budget ran out (Redis: `timelimit_exit`).
    pub hit_time_limit: bool,
    /// The stale-share moving average after this cycle, in percent.
    pub stale_perc: f64,
}

/// What persists between cycles.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExpireState {
    /// `expired_stale_perc` of INFO, as a fraction (0–1).
    pub stale_perc: f64,
    /// `expired_time_cap_reached_count`.
    pub time_cap_reached: u64,
    /// `expire_cycle_cpu_milliseconds`, in virtual nanoseconds.
    pub work_ns_total: u64,
    last_fast_cycle_us: Option<u64>,
    last_exit_on_time: bool,
    /// `avg_ttl` of INFO keyspace: moving average of sampled TTLs, in ms.
    pub avg_ttl: u64,
}

struct Params {
    keys_per_loop: u64,
    fast_duration_us: u64,
    slow_time_perc: u64,
    acceptable_stale: u64,
}

fn params(config: &Config) -> Params {
    let effort = u64::from(config.active_expire_effort.clamp(1, 10) - 1);
    Params {
        keys_per_loop: 20 + 20 / 4 * effort,
        fast_duration_us: 1_000 + 1_000 / 4 * effort,
        slow_time_perc: 25 + 2 * effort,
        acceptable_stale: 10 - effort,
    }
}

/// Runs one cycle at `now`. Returns `None` when the cycle decided not to
/// run (disabled, or a fast cycle that is not needed).
pub fn cycle(
    ks: &mut Keyspace,
    config: &Config,
    state: &mut ExpireState,
    rng: &mut Rng,
    now: Millis,
    kind: CycleKind,
) -> Option<CycleReport> {
    if !config.active_expire_enabled {
        return None;
    }
    match config.expire_mode {
        ExpireMode::Modern => modern(ks, config, state, now, kind),
        ExpireMode::Classic => {
            (kind == CycleKind::Slow).then(|| classic(ks, config, state, rng, now))
        }
    }
}

fn modern(
    ks: &mut Keyspace,
    config: &Config,
    state: &mut ExpireState,
    now: Millis,
    kind: CycleKind,
) -> Option<CycleReport> {
    let p = params(config);
    let now_us = now.saturating_mul(1_000);
    if kind == CycleKind::Fast {
        // Redis means "unless the last cycle ran out of time or many keys
        // seem stale", but compares the stale *fraction* (0–1) with the
        // acceptable *percentage* (10), which always passes: in practice a
        // fast cycle runs only after a cycle hit its time limit. Faithful to
        // the code, not the comment. Never more often than every 2 fast
        // durations.
        if !state.last_exit_on_time && state.stale_perc < p.acceptable_stale as f64 {
            return None;
        }
        if state
            .last_fast_cycle_us
            .is_some_and(|last| now_us < last + p.fast_duration_us * 2)
        {
            return None;
        }
        state.last_fast_cycle_us = Some(now_us);
    }
    let budget_us = match kind {
        CycleKind::Slow => p.slow_time_perc * 1_000_000 / u64::from(config.hz.max(1)) / 100,
        CycleKind::Fast => p.fast_duration_us,
    };
    let mut report = new_report(now, kind, ExpireMode::Modern);
    let mut ttl_sum: u64 = 0;
    let mut ttl_samples: u64 = 0;
    loop {
        let num = ks.volatile_len() as u64;
        if num == 0 {
            state.avg_ttl = 0;
            break;
        }
        let want = num.min(p.keys_per_loop);
        let (mut sampled, mut expired) = (0u64, 0u64);
        while sampled < want {
            let Some((key, expire_at)) = ks.volatile_cursor_next() else {
                break;
            };
            let dead = expire_at.is_some_and(|at| now > at);
            sampled += 1;
            if dead {
                ks.expire_key(&key, now, ExpiryKind::Active);
                expired += 1;
            } else if let Some(at) = expire_at {
                ttl_sum += at.saturating_sub(now);
                ttl_samples += 1;
            }
            if report.sample.len() < REPORT_KEYS {
                report.sample.push((key, dead));
            }
        }
        report.loops += 1;
        report.sampled += sampled;
        report.expired += expired;
        report.work_ns += sampled * KEY_COST_NS + LOOP_COST_NS;
        if report.loops % 16 == 0 && report.work_ns > budget_us * 1_000 {
            report.hit_time_limit = true;
            break;
        }
        // Repeat while the sample was mostly stale.
        if sampled != 0 && expired * 100 / sampled <= p.acceptable_stale {
            break;
        }
        if sampled == 0 {
            break;
        }
    }
    if let Some(avg) = ttl_sum.checked_div(ttl_samples) {
        // Redis: avg_ttl = avg/50 + avg_ttl·49/50 (a slow moving average).
        state.avg_ttl = if state.avg_ttl == 0 {
            avg
        } else {
            avg / 50 + state.avg_ttl / 50 * 49
        };
    }
    finish(state, &mut report);
    Some(report)
}

fn classic(
    ks: &mut Keyspace,
    config: &Config,
    state: &mut ExpireState,
    rng: &mut Rng,
    now: Millis,
) -> CycleReport {
    const LOOKUPS: u64 = 20;
    let budget_us = 25 * 1_000_000 / u64::from(config.hz.max(1)) / 100;
    let mut report = new_report(now, CycleKind::Slow, ExpireMode::Classic);
    loop {
        let num = ks.volatile_len() as u64;
        if num == 0 {
            break;
        }
        let want = num.min(LOOKUPS);
        let mut expired = 0u64;
        for _ in 0..want {
            let Some(i) = ks.random_volatile(rng) else {
                break;
            };
            let Some((key, entry)) = ks.volatile_slot(i) else {
                break;
            };
            let key = key.to_vec();
            let dead = entry.is_expired(now);
            if dead {
                ks.expire_key(&key, now, ExpiryKind::Active);
                expired += 1;
            }
            if report.sample.len() < REPORT_KEYS {
                report.sample.push((key, dead));
            }
        }
        report.loops += 1;
        report.sampled += want;
        report.expired += expired;
        report.work_ns += want * KEY_COST_NS + LOOP_COST_NS;
        if report.loops % 16 == 0 && report.work_ns > budget_us * 1_000 {
            report.hit_time_limit = true;
            break;
        }
        // Repeat while more than 25% of the sample was expired.
        if expired <= LOOKUPS / 4 {
            break;
        }
    }
    finish(state, &mut report);
    report
}

fn new_report(at: Millis, kind: CycleKind, mode: ExpireMode) -> CycleReport {
    CycleReport {
        at,
        kind,
        mode,
        loops: 0,
        sampled: 0,
        expired: 0,
        sample: Vec::new(),
        work_ns: 0,
        hit_time_limit: false,
        stale_perc: 0.0,
    }
}

fn finish(state: &mut ExpireState, report: &mut CycleReport) {
    let current = if report.sampled > 0 {
        report.expired as f64 / report.sampled as f64
    } else {
        0.0
    };
    state.stale_perc = current * 0.05 + state.stale_perc * 0.95;
    state.last_exit_on_time = report.hit_time_limit;
    if report.hit_time_limit {
        state.time_cap_reached += 1;
    }
    state.work_ns_total += report.work_ns;
    report.stale_perc = state.stale_perc * 100.0;
}
