//! Request statistics as the cache-aside widget shows them.

use std::collections::VecDeque;

use crate::api::CacheOutcome;
use crate::sim::Completed;
use crate::time::Millis;

/// Latencies kept for percentiles; older ones fall off so memory stays bounded.
const LATENCY_WINDOW: usize = 10_000;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestStats {
    pub requests: u64,
    pub hits: u64,
    pub misses: u64,
    /// Responses with status ≥ 400.
    pub errors: u64,
    latency_sum: u128,
    latencies: VecDeque<Millis>,
}

impl RequestStats {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record(&mut self, done: &Completed) {
        self.requests += 1;
        match done.response.cache {
            // A stale answer came from the cache too, without the database.
            Some(CacheOutcome::Hit | CacheOutcome::Stale) => self.hits += 1,
            Some(CacheOutcome::Miss) => self.misses += 1,
            Some(CacheOutcome::Bypass) => {}
            None => {}
        }
        if done.response.status >= 400 {
            self.errors += 1;
        }
        let latency = done.latency_ms();
        self.latency_sum += u128::from(latency);
        if self.latencies.len() >= LATENCY_WINDOW {
            self.latencies.pop_front();
        }
        self.latencies.push_back(latency);
    }

    /// Hits over hits + misses, if there was any cache lookup.
    pub fn hit_ratio(&self) -> Option<f64> {
        let lookups = self.hits + self.misses;
        (lookups > 0).then(|| self.hits as f64 / lookups as f64)
    }

    /// Mean latency over every request recorded.
    pub fn mean_ms(&self) -> Option<f64> {
        (self.requests > 0).then(|| self.latency_sum as f64 / self.requests as f64)
    }

    /// 95th percentile (nearest rank) over the last requests.
    pub fn p95_ms(&self) -> Option<Millis> {
        self.percentile(95)
    }

    /// Nearest-rank percentile `p` (1–100) over the kept latencies.
    pub fn percentile(&self, p: u32) -> Option<Millis> {
        if self.latencies.is_empty() {
            return None;
        }
        let mut sorted: Vec<Millis> = self.latencies.iter().copied().collect();
        sorted.sort_unstable();
        let n = sorted.len();
        let rank = ((u64::from(p.clamp(1, 100)) * n as u64).div_ceil(100)) as usize;
        sorted.get(rank.saturating_sub(1)).copied()
    }
}
