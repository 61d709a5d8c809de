//! Run-time settings, named after the article's environment variables.

use crate::db::DbLatency;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `PRODUCT_CACHE_TTL_SECONDS`: how long a cached product lives. At least 1
    /// (Redis refuses `EX 0`).
    pub product_cache_ttl_seconds: u64,
    /// `REDIS_LATENCY_MS`: one store round trip.
    pub redis_latency_ms: u64,
    /// `DB_LATENCY_MS` and its jitter.
    pub db: DbLatency,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            product_cache_ttl_seconds: 10,
            redis_latency_ms: 1,
            db: DbLatency::default(),
        }
    }
}

impl Settings {
    /// The same settings with every value inside the range the API can run with.
    pub fn clamped(mut self) -> Self {
        self.product_cache_ttl_seconds = self.product_cache_ttl_seconds.clamp(1, 86_400);
        self.redis_latency_ms = self.redis_latency_ms.min(10_000);
        self.db.base_ms = self.db.base_ms.min(60_000);
        self.db.jitter_ms = self.db.jitter_ms.min(60_000);
        self
    }
}
