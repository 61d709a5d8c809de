//! The cache service: the only code that knows products live in Redis, and
//! under which keys.

use super::keys;
use super::ports::Redis;
use crate::store::Reply;

/// A Redis reply the service did not expect (a tampered key, say). The
/// article's code would throw here, and its framework would answer 500.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheError(pub Reply);

/// The cached product JSON, if any.
pub async fn get_product<R: Redis>(redis: &R, id: &str) -> Result<Option<String>, CacheError> {
    match redis.call(&[b"GET", keys::product(id).as_bytes()]).await {
        Reply::Bulk(b) => Ok(Some(String::from_utf8_lossy(&b).into_owned())),
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
    let ttl = ttl_seconds.max(1).to_string();
    match redis
        .call(&[
            b"SET",
            keys::product(id).as_bytes(),
            json.as_bytes(),
            b"EX",
            ttl.as_bytes(),
        ])
        .await
    {
        Reply::Simple(_) => Ok(()),
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
