//! The cache service: the only code that knows products live in Redis, and
//! under which keys.

use super::keys;
use super::ports::{bulk_text, Redis};
use crate::store::Reply;

/// A Redis reply the service did not expect (a tampered key, say). The
/// article's code would throw here, and its framework would answer 500.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheError(pub Reply);

/// The cached product JSON, if any.
pub async fn get_product<R: Redis>(redis: &R, id: &str) -> Result<Option<String>, CacheError> {
    match redis.call(&[b"GET", keys::product(id).as_bytes()]).await {
        Reply::Bulk(b) => Ok(Some(bulk_text(b))),
        Reply::Nil => Ok(None),
        other => Err(CacheError(other)),
    }
}

/// `SET product:{id} <json> EX <ttl>`.
pub async fn save_product<R: Redis>(
    redis: &R,
    id: &str,
    json: &str,
    ttl_seconds: u64,
) -> Result<(), CacheError> {
    save_value(redis, id, json, Expiry::Seconds(ttl_seconds)).await
}

/// How long a cached value lives in Redis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// `EX`: the article's whole seconds.
    Seconds(u64),
    /// `PX`: a jittered TTL, or one stretched by a stale window, needs ms.
    Millis(u64),
}

/// `SET product:{id} <value> EX|PX <ttl>`: the product, an envelope or the
/// negative marker (see `cache_defences` for the forms).
pub async fn save_value<R: Redis>(
    redis: &R,
    id: &str,
    value: &str,
    expiry: Expiry,
) -> Result<(), CacheError> {
    // Redis refuses a zero TTL.
    let (unit, ttl): (&[u8], u64) = match expiry {
        Expiry::Seconds(s) => (b"EX", s.max(1)),
        Expiry::Millis(ms) => (b"PX", ms.max(1)),
    };
    let ttl = ttl.to_string();
    match redis
        .call(&[
            b"SET",
            keys::product(id).as_bytes(),
            value.as_bytes(),
            unit,
            ttl.as_bytes(),
        ])
        .await
    {
        Reply::Simple(_) => Ok(()),
        other => Err(CacheError(other)),
    }
}

/// `SET lock:product:{id} <token> NX PX <ttl>`: whether this caller now
/// holds the rebuild lock (NX: only if nobody does).
pub async fn try_lock<R: Redis>(
    redis: &R,
    id: &str,
    token: &str,
    ttl_ms: u64,
) -> Result<bool, CacheError> {
    let ttl = ttl_ms.max(1).to_string();
    match redis
        .call(&[
            b"SET",
            keys::product_lock(id).as_bytes(),
            token.as_bytes(),
            b"NX",
            b"PX",
            ttl.as_bytes(),
        ])
        .await
    {
        Reply::Simple(_) => Ok(true),
        Reply::Nil => Ok(false),
        other => Err(CacheError(other)),
    }
}

/// `FCALL pg_release_lock 1 lock:product:{id} <token>`: deletes the lock
/// only if it still holds this token, in one server-side step. `false` when
/// it is not ours any more (it expired, and maybe another request took it):
/// a plain `DEL` would then delete that request's lock.
pub async fn release_lock<R: Redis>(redis: &R, id: &str, token: &str) -> Result<bool, CacheError> {
    match redis
        .call(&[
            b"FCALL",
            b"pg_release_lock",
            b"1",
            keys::product_lock(id).as_bytes(),
            token.as_bytes(),
        ])
        .await
    {
        Reply::Integer(1) => Ok(true),
        Reply::Integer(0) => Ok(false),
        other => Err(CacheError(other)),
    }
}

/// `DEL product:{id}`: how many keys went (0 or 1).
pub async fn delete_product<R: Redis>(redis: &R, id: &str) -> Result<i64, CacheError> {
    match redis.call(&[b"DEL", keys::product(id).as_bytes()]).await {
        Reply::Integer(n) => Ok(n),
        other => Err(CacheError(other)),
    }
}

/// `INCR product:{id}:views`: the new count. The counter has no TTL.
pub async fn increment_views<R: Redis>(redis: &R, id: &str) -> Result<i64, CacheError> {
    match redis
        .call(&[b"INCR", keys::product_views(id).as_bytes()])
        .await
    {
        Reply::Integer(n) => Ok(n),
        other => Err(CacheError(other)),
    }
}

/// `GET product:{id}:views`, missing counting as 0.
pub async fn get_views<R: Redis>(redis: &R, id: &str) -> Result<i64, CacheError> {
    match redis
        .call(&[b"GET", keys::product_views(id).as_bytes()])
        .await
    {
        Reply::Nil => Ok(0),
        Reply::Bulk(b) => crate::store::int::parse_i64(&b).ok_or(CacheError(Reply::Bulk(b))),
        other => Err(CacheError(other)),
    }
}
