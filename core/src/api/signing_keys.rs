//! The MailPace case: caching another service's HTTP answer.
//!
//! The API needs each sending domain's signing (DKIM) key, which a second,
//! slower service owns. The key rarely changes, so the API caches the
//! upstream's answer in Redis for a minute (`SET signing_key:{domain} <key>
//! EX 60`), and a forced invalidation route deletes it when the key changes
//! upstream. Until then the cache keeps serving the old key: that window is
//! the price of the TTL, and the invalidation route is how it is closed.
//!
//! - `GET /domains/:domain/signing-key`: cache-aside over the upstream
//! - `DELETE /domains/:domain/signing-key/cache`: the forced invalidation
//! - `PUT /domains/:domain/signing-key`: rotates the key *upstream* (the
//!   other service's own endpoint, proxied for the demo); it deliberately
//!   leaves this API's cache alone, so the stale key shows.

use std::collections::BTreeMap;

use super::keys;
use super::ports::{bulk_text, Redis};
use crate::store::Reply;

/// `SIGNING_KEY_UPSTREAM_LATENCY_MS` and `SIGNING_KEY_CACHE_TTL_SECONDS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningKeySettings {
    /// One call to the signing-key service.
    pub upstream_latency_ms: u64,
    /// How long a fetched key is cached (`EX`). At least 1.
    pub cache_ttl_seconds: u64,
}

impl SigningKeySettings {
    /// The MailPace write-up's values: a 60 s cache in front of a service
    /// that takes about 150 ms.
    pub const MAILPACE: SigningKeySettings = SigningKeySettings {
        upstream_latency_ms: 150,
        cache_ttl_seconds: 60,
    };
}

impl Default for SigningKeySettings {
    fn default() -> Self {
        Self::MAILPACE
    }
}

/// The upstream did not answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpstreamError(pub String);

/// The signing-key service, as the API sees it: a slow remote call.
#[allow(async_fn_in_trait)] // single-threaded by design, like the other ports
pub trait SigningKeyService {
    /// The domain's current key.
    async fn fetch_key(&self, domain: &str) -> Result<String, UpstreamError>;
    /// Makes the service issue a new key for the domain; returns it.
    async fn rotate_key(&self, domain: &str) -> Result<String, UpstreamError>;
}

/// The port when no signing-key service is wired in: every call fails, so
/// the routes answer 502 instead of pretending.
pub struct NotConnected;

impl SigningKeyService for NotConnected {
    async fn fetch_key(&self, _domain: &str) -> Result<String, UpstreamError> {
        Err(UpstreamError("signing-key service not connected".into()))
    }

    async fn rotate_key(&self, _domain: &str) -> Result<String, UpstreamError> {
        Err(UpstreamError("signing-key service not connected".into()))
    }
}

/// The fake upstream's data: a key version per domain (every domain starts
/// at version 1). Keys are derived from the domain and version, so a
/// replay gives the same keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FakeSigningKeys {
    versions: BTreeMap<String, u64>,
}

impl FakeSigningKeys {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn current(&self, domain: &str) -> String {
        key_text(domain, self.versions.get(domain).copied().unwrap_or(1))
    }

    pub fn rotate(&mut self, domain: &str) -> String {
        let v = self.versions.entry(domain.to_string()).or_insert(1);
        *v += 1;
        key_text(domain, *v)
    }
}

/// `dkim-v<version>-<8 hex digits>`: short, readable, and different for
/// every domain and version (FNV-1a of both).
fn key_text(domain: &str, version: u64) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in domain.bytes().chain(version.to_le_bytes()) {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("dkim-v{version}-{h:08x}")
}

/// A domain name as the routes accept it: 1 to 253 characters of letters,
/// digits, dots and hyphens (lower-cased), so it is safe in a key name and
/// in the JSON body.
pub fn parse_domain(raw: &str) -> Option<String> {
    let d = raw.trim().to_ascii_lowercase();
    let ok = (1..=253).contains(&d.len())
        && d.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    ok.then_some(d)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyLookup {
    /// Served from the cache (maybe stale, until it expires or is invalidated).
    Hit(String),
    /// Fetched from the upstream and cached.
    Miss(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// Redis answered with an error (down, or a key of the wrong type).
    Cache(Reply),
    Upstream(UpstreamError),
}

/// Cache-aside: `GET signing_key:{domain}`; on a miss, ask the upstream
/// and `SET signing_key:{domain} <key> EX <ttl>`.
pub async fn get_signing_key<R: Redis, U: SigningKeyService>(
    redis: &R,
    upstream: &U,
    domain: &str,
    ttl_seconds: u64,
) -> Result<KeyLookup, KeyError> {
    let key = keys::signing_key(domain);
    match redis.call(&[b"GET", key.as_bytes()]).await {
        Reply::Bulk(b) => return Ok(KeyLookup::Hit(bulk_text(b))),
        Reply::Nil => {}
        other => return Err(KeyError::Cache(other)),
    }
    let fetched = upstream
        .fetch_key(domain)
        .await
        .map_err(KeyError::Upstream)?;
    let ttl = ttl_seconds.max(1).to_string();
    match redis
        .call(&[
            b"SET",
            key.as_bytes(),
            fetched.as_bytes(),
            b"EX",
            ttl.as_bytes(),
        ])
        .await
    {
        Reply::Error(e) => Err(KeyError::Cache(Reply::Error(e))),
        _ => Ok(KeyLookup::Miss(fetched)),
    }
}

/// The forced invalidation: `DEL signing_key:{domain}`; true if a key was cached.
pub async fn invalidate<R: Redis>(redis: &R, domain: &str) -> Result<bool, KeyError> {
    let key = keys::signing_key(domain);
    match redis.call(&[b"DEL", key.as_bytes()]).await {
        Reply::Integer(n) => Ok(n > 0),
        other => Err(KeyError::Cache(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_change_on_rotation_and_differ_per_domain() {
        let mut up = FakeSigningKeys::new();
        let a1 = up.current("a.example");
        assert_eq!(a1, up.current("a.example"));
        assert_ne!(a1, up.current("b.example"));
        let a2 = up.rotate("a.example");
        assert_ne!(a1, a2);
        assert_eq!(up.current("a.example"), a2);
        assert!(a2.starts_with("dkim-v2-"), "{a2}");
    }

    #[test]
    fn domains_are_checked() {
        assert_eq!(parse_domain("Example.COM"), Some("example.com".into()));
        assert_eq!(parse_domain(""), None);
        assert_eq!(parse_domain("a b"), None);
        assert_eq!(parse_domain("a\"b"), None);
        assert_eq!(parse_domain(&"a".repeat(254)), None);
    }
}
