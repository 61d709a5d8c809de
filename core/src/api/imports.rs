//! Import status, the article's short-lived-state example: `POST /imports`
//! creates a job (`queued`), a background worker moves it through
//! `processing` (with progress) to `completed` or `failed`, and every write
//! stores the status under `import:{jobId}` with `EX IMPORT_STATUS_TTL_SECONDS`
//! — so once the worker is done and the TTL runs out, the job is a 404.
//!
//! `Idempotency-Key` on POST: the first request reserves
//! `idem:{key}` with `SET … NX EX 86400` and stores its response there; a
//! repeat gets 409 while that job is still queued or processing, and the
//! first response (replayed) once it has finished.

use super::import_store;
use super::ports::{Redis, RequestContext, Timer};
use super::product_cache::CacheError;
use crate::json::{self, Object};
use crate::time::iso8601;

/// `GET /imports/:jobId` reads the stored status as is.
pub use super::import_store::get_status;

/// How long an idempotency record lives (a day, as payment APIs do).
pub const IDEMPOTENCY_TTL_SECONDS: u64 = 86_400;
/// Most rows one import may claim.
pub const MAX_ROWS: u64 = 10_000_000;

/// What the worker needs to know about a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportJob {
    pub id: String,
    pub rows_total: u64,
    /// The row at which the import fails (to show `failed`), if any.
    pub fail_at_row: Option<u64>,
}

/// The worker's pace and the status TTL, from the settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportSettings {
    /// `IMPORT_STATUS_TTL_SECONDS`.
    pub status_ttl_seconds: u64,
    /// `IMPORT_BATCH_ROWS`: rows per progress update.
    pub batch_rows: u64,
    /// `IMPORT_BATCH_MS`: virtual time one batch takes.
    pub batch_ms: u64,
}

impl Default for ImportSettings {
    fn default() -> Self {
        ImportSettings {
            status_ttl_seconds: 600,
            batch_rows: 250,
            batch_ms: 500,
        }
    }
}

/// A version-4 UUID (random, RFC 4122 layout) from two random words.
pub fn uuid_v4(a: u64, b: u64) -> String {
    let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// The status document stored in Redis and returned as `data`.
pub fn status_json(
    job: &ImportJob,
    status: &str,
    rows_done: u64,
    error: Option<&str>,
    at: &str,
) -> String {
    // An empty job is done.
    let percent = (rows_done * 100).checked_div(job.rows_total).unwrap_or(100);
    let mut o = Object::new()
        .str("jobId", &job.id)
        .str("status", status)
        .int("rowsTotal", job.rows_total as i64)
        .int("rowsDone", rows_done as i64)
        .int("percent", percent as i64);
    if let Some(e) = error {
        o = o.str("error", e);
    }
    o.str("updatedAt", at).finish()
}

/// Reads `{"rows"?: n, "failAtRow"?: k}` (rows default 1000).
pub fn parse_body(body: &str) -> Result<(u64, Option<u64>), String> {
    if body.trim().is_empty() {
        return Ok((1_000, None));
    }
    let v = json::parse(body).map_err(|e| format!("Invalid JSON body: {e}"))?;
    if !matches!(v, json::Value::Object(_)) {
        return Err("The body must be a JSON object".into());
    }
    let rows = match v.get("rows") {
        None => 1_000,
        Some(r) => r
            .as_i64()
            .filter(|n| (1..=MAX_ROWS as i64).contains(n))
            .ok_or(format!("rows must be a whole number from 1 to {MAX_ROWS}"))?
            as u64,
    };
    let fail_at = match v.get("failAtRow") {
        None | Some(json::Value::Null) => None,
        Some(f) => Some(
            f.as_i64()
                .filter(|n| (1..=rows as i64).contains(n))
                .ok_or(format!("failAtRow must be a whole number from 1 to {rows}"))?
                as u64,
        ),
    };
    Ok((rows, fail_at))
}

/// The outcome of `POST /imports`, for the route to shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Created {
    /// A new job (202): its response body and the job to start.
    New { body: String, job: ImportJob },
    /// A repeat of a finished request: the first response, replayed.
    Replay { status: u16, body: String },
    /// A repeat while the first job is still running (or the first request
    /// has not finished): 409.
    InProgress { job_id: Option<String> },
}

/// `POST /imports`: create the job and its `queued` status (and the
/// idempotency record). The caller starts the worker for `Created::New`.
pub async fn create<R: Redis, C: RequestContext>(
    redis: &R,
    ctx: &C,
    settings: ImportSettings,
    rows: u64,
    fail_at_row: Option<u64>,
    idempotency_key: Option<&str>,
) -> Result<Created, CacheError> {
    // The client's key; the store layer turns it into `idem:{key}`.
    let idem_key = idempotency_key;
    if let Some(k) = &idem_key {
        if !import_store::reserve_idempotency(redis, k, IDEMPOTENCY_TTL_SECONDS).await? {
            return repeat(redis, k).await;
        }
    }
    let id = uuid_v4(ctx.random_u64(), ctx.random_u64());
    let job = ImportJob {
        id: id.clone(),
        rows_total: rows,
        fail_at_row,
    };
    let at = iso8601(ctx.now_ms());
    import_store::save_status(
        redis,
        &id,
        &status_json(&job, "queued", 0, None, &at),
        settings.status_ttl_seconds,
    )
    .await?;
    let body = Object::new()
        .str("jobId", &id)
        .str("status", "queued")
        .finish();
    if let Some(k) = &idem_key {
        let record = Object::new().int("status", 202).raw("body", &body).finish();
        import_store::save_idempotency_record(redis, k, &record, IDEMPOTENCY_TTL_SECONDS).await?;
    }
    Ok(Created::New { body, job })
}

/// A request with a known idempotency key.
async fn repeat<R: Redis>(redis: &R, idem_key: &str) -> Result<Created, CacheError> {
    let Some(record) = import_store::idempotency_record(redis, idem_key).await? else {
        // Gone between the two commands: treat as still in flight.
        return Ok(Created::InProgress { job_id: None });
    };
    let Ok(parsed) = json::parse(&record) else {
        // "processing": the first request has not stored its response yet.
        return Ok(Created::InProgress { job_id: None });
    };
    let status = parsed
        .get("status")
        .and_then(json::Value::as_i64)
        .unwrap_or(202) as u16;
    let body_value = parsed.get("body");
    let job_id = body_value
        .and_then(|b| b.get("jobId"))
        .and_then(json::Value::as_str)
        .map(str::to_string);
    let body = match job_id.as_deref() {
        Some(id) => Object::new()
            .str("jobId", id)
            .str("status", "queued")
            .finish(),
        None => record.clone(),
    };
    if let Some(id) = &job_id {
        if let Some(current) = import_store::get_status(redis, id).await? {
            let state = json::parse(&current)
                .ok()
                .and_then(|v| v.get("status").and_then(|s| s.as_str().map(str::to_string)));
            if matches!(state.as_deref(), Some("queued" | "processing")) {
                return Ok(Created::InProgress {
                    job_id: job_id.clone(),
                });
            }
        }
    }
    Ok(Created::Replay { status, body })
}

/// The background worker: `processing` batch by batch, then `completed`
/// or `failed`; every write re-sets the TTL.
pub async fn work<R: Redis, T: Timer>(
    redis: &R,
    timer: &T,
    job: ImportJob,
    settings: ImportSettings,
) {
    let ttl = settings.status_ttl_seconds;
    let batch = settings.batch_rows.max(1);
    // Picked up from the queue after one batch time.
    timer.sleep(settings.batch_ms).await;
    let mut done = 0;
    let at = iso8601(timer.now_ms());
    if import_store::save_status(
        redis,
        &job.id,
        &status_json(&job, "processing", 0, None, &at),
        ttl,
    )
    .await
    .is_err()
    {
        return;
    }
    while done < job.rows_total {
        timer.sleep(settings.batch_ms).await;
        let next = (done + batch).min(job.rows_total);
        let at = iso8601(timer.now_ms());
        if let Some(bad) = job.fail_at_row.filter(|r| *r <= next) {
            let reason = format!("Row {bad}: the price is not a number");
            let _ = import_store::save_status(
                redis,
                &job.id,
                &status_json(&job, "failed", bad - 1, Some(&reason), &at),
                ttl,
            )
            .await;
            return;
        }
        done = next;
        let state = if done == job.rows_total {
            "completed"
        } else {
            "processing"
        };
        if import_store::save_status(
            redis,
            &job.id,
            &status_json(&job, state, done, None, &at),
            ttl,
        )
        .await
        .is_err()
        {
            return;
        }
    }
    if job.rows_total == 0 {
        let at = iso8601(timer.now_ms());
        let _ = import_store::save_status(
            redis,
            &job.id,
            &status_json(&job, "completed", 0, None, &at),
            ttl,
        )
        .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_has_the_v4_layout() {
        let u = uuid_v4(0xFFFF_FFFF_FFFF_FFFF, 0);
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes().get(14), Some(&b'4'));
        assert!(matches!(
            uuid_v4(1, 2).as_bytes().get(19),
            Some(b'8' | b'9' | b'a' | b'b')
        ));
        assert_eq!(uuid_v4(0, 0), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn bodies() {
        assert_eq!(parse_body(""), Ok((1_000, None)));
        assert_eq!(
            parse_body(r#"{"rows": 500, "failAtRow": 300}"#),
            Ok((500, Some(300)))
        );
        assert!(parse_body(r#"{"rows": 0}"#).is_err());
        assert!(parse_body(r#"{"rows": 10, "failAtRow": 11}"#).is_err());
        assert!(parse_body("[1]").is_err());
    }
}
