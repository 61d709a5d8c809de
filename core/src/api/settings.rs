//! Run-time settings, named after the article's environment variables.

use super::cache_defences::CacheDefences;
use super::imports::ImportSettings;
use super::rate_limit::{Algorithm, IdentifyBy, Limit};
use super::signing_keys::SigningKeySettings;
use crate::db::DbLatency;

/// Things to break, to watch the API cope (or not).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// `FAULT_REDIS_DOWN`: every call waits for the client timeout, then fails.
    pub redis_down: bool,
    /// `FAULT_REDIS_SLOW_MS`: extra time on every Redis round trip.
    pub redis_slow_ms: u64,
    /// `FAULT_DB_DOWN`: every query waits for the timeout, then fails.
    pub db_down: bool,
    /// `FAULT_DB_SLOW_MS`: extra time on every query.
    pub db_slow_ms: u64,
    /// `FAULT_CRASH_AFTER_INCR`: the API process dies right after the
    /// limiter's first INCR of a window, before its EXPIRE (the article's race).
    pub crash_after_incr: bool,
}

/// How long a client waits for a dead server before giving up.
pub const CLIENT_TIMEOUT_MS: u64 = 1_000;

/// What the limiter does when Redis fails it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimiterFailure {
    /// The article: the error escapes the middleware and the request gets a 500.
    Error,
    /// Let the request through (availability first).
    Open,
    /// Refuse it with a 503 (protection first).
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `PRODUCT_CACHE_TTL_SECONDS`: how long a cached product lives. At least 1
    /// (Redis refuses `EX 0`).
    pub product_cache_ttl_seconds: u64,
    /// `REDIS_LATENCY_MS`: one store round trip.
    pub redis_latency_ms: u64,
    /// `DB_LATENCY_MS` and its jitter.
    pub db: DbLatency,
    /// `RATE_LIMIT_ENABLED`: the article limits `GET /products/:id`.
    pub rate_limit_enabled: bool,
    /// `RATE_LIMIT_ALGORITHM`, `RATE_LIMIT_MAX_REQUESTS`, `RATE_LIMIT_WINDOW_SECONDS`.
    pub rate_limit: Limit,
    /// `RATE_LIMIT_IDENTIFIER`: ip (x-forwarded-for), user or tenant.
    pub rate_limit_by: IdentifyBy,
    /// `RATE_LIMIT_ON_REDIS_ERROR`: error (the article), open or closed.
    pub rate_limit_on_error: LimiterFailure,
    /// `IMPORT_STATUS_TTL_SECONDS` and the worker's pace.
    pub imports: ImportSettings,
    pub faults: Faults,
    /// `CACHE_ERRORS_FALL_BACK`: on a Redis error, read the database instead
    /// of failing (the article lets the error become a 500).
    pub cache_errors_fall_back: bool,
    /// Stampede defences on the product cache (jitter, negative caching,
    /// single-flight, XFetch, stale-while-revalidate), all off by default.
    pub defences: CacheDefences,
    /// `RATE_LIMIT_ATOMIC`: run the limiters as one server-side `FCALL`
    /// (the default); false keeps the client-side read-modify-write
    /// sequences, to show the race they have.
    pub rate_limit_atomic: bool,
    /// `SIGNING_KEY_UPSTREAM_LATENCY_MS`, `SIGNING_KEY_CACHE_TTL_SECONDS`:
    /// the MailPace case (`signing_keys.rs`).
    pub signing_keys: SigningKeySettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            product_cache_ttl_seconds: 10,
            redis_latency_ms: 1,
            db: DbLatency::default(),
            rate_limit_enabled: true,
            rate_limit: Limit {
                algorithm: Algorithm::ArticleFixed,
                max_requests: 100,
                window_seconds: 60,
            },
            rate_limit_by: IdentifyBy::Ip,
            rate_limit_on_error: LimiterFailure::Error,
            imports: ImportSettings::default(),
            faults: Faults::default(),
            cache_errors_fall_back: false,
            defences: CacheDefences::default(),
            rate_limit_atomic: true,
            signing_keys: SigningKeySettings::default(),
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
        self.rate_limit.max_requests = self.rate_limit.max_requests.clamp(1, 1_000_000);
        self.rate_limit.window_seconds = self.rate_limit.window_seconds.clamp(1, 86_400);
        self.imports.status_ttl_seconds = self.imports.status_ttl_seconds.clamp(1, 86_400 * 7);
        self.imports.batch_rows = self.imports.batch_rows.clamp(1, 1_000_000);
        self.imports.batch_ms = self.imports.batch_ms.clamp(1, 3_600_000);
        self.faults.redis_slow_ms = self.faults.redis_slow_ms.min(60_000);
        self.faults.db_slow_ms = self.faults.db_slow_ms.min(60_000);
        self.defences = self.defences.clamped();
        self.signing_keys.upstream_latency_ms = self.signing_keys.upstream_latency_ms.min(60_000);
        self.signing_keys.cache_ttl_seconds = self.signing_keys.cache_ttl_seconds.clamp(1, 86_400);
        self
    }
}
