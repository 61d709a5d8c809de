//! The import service's store layer: the only code that knows import
//! statuses and idempotency records live in Redis, under which keys, with
//! which TTLs. The service (imports.rs) decides; this module stores.

use super::keys;
use super::ports::{bulk_text, Redis};
use super::product_cache::CacheError;
use crate::store::Reply;

/// `SET import:{jobId} <status json> EX <ttl>`: every write re-sets the TTL,
/// so a job's status outlives its last change by exactly the TTL.
pub async fn save_status<R: Redis>(
    redis: &R,
    job_id: &str,
    status: &str,
    ttl: u64,
) -> Result<(), CacheError> {
    set_ex(redis, &keys::import_status(job_id), status, ttl).await
}

/// `SET key value EX ttl` (at least 1 s: Redis refuses `EX 0`).
async fn set_ex<R: Redis>(redis: &R, key: &str, value: &str, ttl: u64) -> Result<(), CacheError> {
    let ttl = ttl.max(1).to_string();
    match redis
        .call(&[
            b"SET",
            key.as_bytes(),
            value.as_bytes(),
            b"EX",
            ttl.as_bytes(),
        ])
        .await
    {
        Reply::Simple(_) => Ok(()),
        other => Err(CacheError(other)),
    }
}

/// Reads a string key: `None` when it does not exist.
async fn get<R: Redis>(redis: &R, key: &str) -> Result<Option<String>, CacheError> {
    match redis.call(&[b"GET", key.as_bytes()]).await {
        Reply::Bulk(b) => Ok(Some(bulk_text(b))),
        Reply::Nil => Ok(None),
        other => Err(CacheError(other)),
    }
}

/// The stored status, if the key still exists.
pub async fn get_status<R: Redis>(redis: &R, job_id: &str) -> Result<Option<String>, CacheError> {
    get(redis, &keys::import_status(job_id)).await
}

/// `SET idem:{key} processing NX EX <ttl>` for the client's
/// `Idempotency-Key`: true if this request is the first with the key (it
/// reserved it), false if one came before.
pub async fn reserve_idempotency<R: Redis>(
    redis: &R,
    idem_key: &str,
    ttl_seconds: u64,
) -> Result<bool, CacheError> {
    let idem_key = keys::idempotency(idem_key);
    let ttl = ttl_seconds.max(1).to_string();
    match redis
        .call(&[
            b"SET",
            idem_key.as_bytes(),
            b"processing",
            b"NX",
            b"EX",
            ttl.as_bytes(),
        ])
        .await
    {
        Reply::Simple(_) => Ok(true),
        Reply::Nil => Ok(false),
        other => Err(CacheError(other)),
    }
}

/// Replaces the reservation with the first response (`{status, body}`).
pub async fn save_idempotency_record<R: Redis>(
    redis: &R,
    idem_key: &str,
    record: &str,
    ttl_seconds: u64,
) -> Result<(), CacheError> {
    set_ex(redis, &keys::idempotency(idem_key), record, ttl_seconds).await
}

/// The stored record (or the bare reservation `processing`), if any.
pub async fn idempotency_record<R: Redis>(
    redis: &R,
    idem_key: &str,
) -> Result<Option<String>, CacheError> {
    get(redis, &keys::idempotency(idem_key)).await
}
