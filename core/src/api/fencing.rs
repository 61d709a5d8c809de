//! A lock with a fencing token, as its own demo (Kleppmann's argument
//! against trusting a lease alone).
//!
//! A client takes the job's lock with `pg_acquire_fenced`, which also hands
//! out the next number of the job's fencing counter. The lock has a TTL, so
//! a client that stalls (a GC pause, a swapped-out VM) can lose it without
//! knowing, and another client takes it with a higher token. When the first
//! one wakes up it still believes it holds the lock; what saves the record
//! is the storage side checking the token: `pg_fenced_write` refuses any
//! write carrying a token older than the last one it accepted.
//!
//! The pause happens in the client, between its requests, so the demo is
//! three plain routes; a script pauses a client with `SLEEP`:
//!
//! - `POST /jobs/:id/lock` `{"client":"c1","ttlMs":5000}` → the token, or 409
//! - `PUT /jobs/:id/result` `{"token":1,"value":"…"}` → stored, or 409 if stale
//! - `GET /jobs/:id/result` → the record and the token that wrote it
//! - `DELETE /jobs/:id/lock` `{"client":"c1"}` → released only by its owner

use super::keys;
use super::ports::Redis;
use crate::json;
use crate::store::int::parse_i64;
use crate::store::Reply;

/// The lock's TTL when the body gives none.
pub const DEFAULT_LOCK_TTL_MS: u64 = 5_000;
/// Longest lock TTL accepted: one day, the functions' own bound.
pub const MAX_LOCK_TTL_MS: u64 = 86_400_000;

/// A reply the code did not expect (Redis down, a key of the wrong type).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FencingError(pub Reply);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Acquired {
    /// The lock is ours, with this fencing token.
    Token(i64),
    /// Someone else holds it.
    Held,
}

/// `FCALL pg_acquire_fenced 2 lock:job:{id} fence:job:{id} <client> <ttl>`.
pub async fn acquire<R: Redis>(
    redis: &R,
    job: &str,
    client: &str,
    ttl_ms: u64,
) -> Result<Acquired, FencingError> {
    let (lock, fence, ttl) = (
        keys::job_lock(job),
        keys::job_fence(job),
        ttl_ms.to_string(),
    );
    match redis
        .call(&[
            b"FCALL",
            b"pg_acquire_fenced",
            b"2",
            lock.as_bytes(),
            fence.as_bytes(),
            client.as_bytes(),
            ttl.as_bytes(),
        ])
        .await
    {
        Reply::Integer(token) => Ok(Acquired::Token(token)),
        Reply::Nil => Ok(Acquired::Held),
        other => Err(FencingError(other)),
    }
}

/// `FCALL pg_fenced_write 1 job:{id}:result <token> <value>`: true if
/// stored, false if the token is older than the record's.
pub async fn write<R: Redis>(
    redis: &R,
    job: &str,
    token: i64,
    value: &str,
) -> Result<bool, FencingError> {
    let (key, token) = (keys::job_result(job), token.to_string());
    match redis
        .call(&[
            b"FCALL",
            b"pg_fenced_write",
            b"1",
            key.as_bytes(),
            token.as_bytes(),
            value.as_bytes(),
        ])
        .await
    {
        Reply::Integer(n) => Ok(n == 1),
        other => Err(FencingError(other)),
    }
}

/// `FCALL pg_release_lock 1 lock:job:{id} <client>`: true if this client
/// still held the lock (it may have expired and passed to someone else).
pub async fn release<R: Redis>(redis: &R, job: &str, client: &str) -> Result<bool, FencingError> {
    let lock = keys::job_lock(job);
    match redis
        .call(&[
            b"FCALL",
            b"pg_release_lock",
            b"1",
            lock.as_bytes(),
            client.as_bytes(),
        ])
        .await
    {
        Reply::Integer(n) => Ok(n == 1),
        other => Err(FencingError(other)),
    }
}

/// The stored record: its value and the token that wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub value: String,
    pub token: i64,
}

/// `HMGET job:{id}:result value token`; `None` before the first write.
pub async fn read<R: Redis>(redis: &R, job: &str) -> Result<Option<Record>, FencingError> {
    let key = keys::job_result(job);
    let items = match redis
        .call(&[b"HMGET", key.as_bytes(), b"value", b"token"])
        .await
    {
        Reply::Array(items) => items,
        other => return Err(FencingError(other)),
    };
    match (items.first(), items.get(1)) {
        (Some(Reply::Bulk(value)), Some(Reply::Bulk(token))) => Ok(Some(Record {
            value: String::from_utf8_lossy(value).into_owned(),
            // A token someone overwrote with text reads as 0: the next
            // fenced write then wins, as the function itself treats it.
            token: parse_i64(token).unwrap_or(0),
        })),
        _ => Ok(None),
    }
}

fn object(body: &str) -> Result<json::Value, String> {
    let v = json::parse(body).map_err(|e| format!("Invalid JSON body: {e}"))?;
    if !matches!(v, json::Value::Object(_)) {
        return Err("The body must be a JSON object".into());
    }
    Ok(v)
}

fn client_of(v: &json::Value) -> Result<String, String> {
    v.get("client")
        .and_then(json::Value::as_str)
        .map(str::trim)
        .filter(|c| !c.is_empty() && c.chars().count() <= 100)
        .map(str::to_string)
        .ok_or_else(|| "client must be a string of 1 to 100 characters".into())
}

/// `{"client": "c1", "ttlMs": 5000}` (ttlMs optional).
pub fn parse_lock_body(body: &str) -> Result<(String, u64), String> {
    let v = object(body)?;
    let client = client_of(&v)?;
    let ttl = match v.get("ttlMs") {
        None => DEFAULT_LOCK_TTL_MS,
        Some(t) => t
            .as_i64()
            .filter(|t| (1..=MAX_LOCK_TTL_MS as i64).contains(t))
            .map(|t| t as u64)
            .ok_or_else(|| format!("ttlMs must be a whole number from 1 to {MAX_LOCK_TTL_MS}"))?,
    };
    Ok((client, ttl))
}

/// `{"client": "c1"}`.
pub fn parse_release_body(body: &str) -> Result<String, String> {
    client_of(&object(body)?)
}

/// `{"token": 1, "value": "…"}`.
pub fn parse_write_body(body: &str) -> Result<(i64, String), String> {
    let v = object(body)?;
    let token = v
        .get("token")
        .and_then(json::Value::as_i64)
        .filter(|t| (0..=100_000_000_000_000).contains(t))
        .ok_or("token must be a whole number from 0 to 100000000000000")?;
    let value = v
        .get("value")
        .and_then(json::Value::as_str)
        .filter(|s| s.chars().count() <= 10_000)
        .ok_or("value must be a string of at most 10000 characters")?;
    Ok((token, value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_checked() {
        assert_eq!(
            parse_lock_body(r#"{"client":" c1 "}"#),
            Ok(("c1".into(), DEFAULT_LOCK_TTL_MS))
        );
        assert_eq!(
            parse_lock_body(r#"{"client":"c2","ttlMs":100}"#),
            Ok(("c2".into(), 100))
        );
        assert!(parse_lock_body(r#"{"client":"c2","ttlMs":0}"#).is_err());
        assert!(parse_lock_body(r#"{"client":""}"#).is_err());
        assert!(parse_lock_body("[]").is_err());
        assert_eq!(
            parse_write_body(r#"{"token":3,"value":"v"}"#),
            Ok((3, "v".into()))
        );
        assert!(parse_write_body(r#"{"token":-1,"value":"v"}"#).is_err());
        assert!(parse_write_body(r#"{"token":1}"#).is_err());
        assert_eq!(parse_release_body(r#"{"client":"c1"}"#), Ok("c1".into()));
    }
}
