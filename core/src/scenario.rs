//! Scenario scripts: a behaviour of the simulated backend written down as
//! steps, run on a fresh engine, printing what a client would see. The same
//! runner serves `playground-cli scenario FILE` and the scenario tests.
//!
//! ```text
//! # comment
//! ENV PRODUCT_CACHE_TTL_SECONDS=5 DB_LATENCY_MS=400
//! GET /products/1
//! PARALLEL 3 GET /products/2
//! SLEEP 6000
//! REDIS TTL product:1
//! POST /imports idempotency-key=abc {"rows": 100}
//! ```
//!
//! A response prints as `HTTP <status> <body> (<latency> ms)`, then one
//! line per header, `  Name: value`, sorted by name. A response whose body
//! has a `jobId` sets `$jobId` for the lines after it. `ENV` and `SLEEP` print
//! nothing; `REDIS` prints the reply as redis-cli does. A bad line stops the
//! script with an error that names the line.
//!
//! Steps added for the rate-limit, MailPace and fencing demos:
//!
//! ```text
//! COMPARE fixed-aligned,sliding-log,gcra 5/10 9000x5 10000x5
//! COMPARE all 5/10 0 9999x4 10001x5@bob
//! ```
//!
//! `COMPARE <algorithms|all> <max>/<window seconds> <arrivals>` replays the
//! arrivals (`<ms>[x<count>][@<identifier>]`, virtual ms from 0) through
//! each algorithm on its own fresh store (see `api::limiter_compare`) and
//! prints a table; it uses the current `RATE_LIMIT_ATOMIC` and leaves the
//! engine untouched.
//!
//! `PRESET mailpace` sets the MailPace case's values (signing-key service
//! ≈150 ms, cache `EX 60`, classic ≤ 5.0 active expiry). The `/domains/…/signing-key` routes run in the
//! engine like any other, against its fake signing-key service;
//! `PUT /domains/:domain/signing-key` rotates the key in that service.

use std::fmt;

use crate::api::rate_limit::{Algorithm, IdentifyBy};
use crate::api::settings::LimiterFailure;
use crate::api::{Request, Settings};

/// The names `ENV` understands (the article's environment variables and ours).
pub const SETTINGS: &[&str] = &[
    "PRODUCT_CACHE_TTL_SECONDS",
    "REDIS_LATENCY_MS",
    "DB_LATENCY_MS",
    "DB_JITTER_MS",
    "RATE_LIMIT_ENABLED",
    "RATE_LIMIT_ALGORITHM",
    "RATE_LIMIT_MAX_REQUESTS",
    "RATE_LIMIT_WINDOW_SECONDS",
    "RATE_LIMIT_IDENTIFIER",
    "RATE_LIMIT_ON_REDIS_ERROR",
    "IMPORT_STATUS_TTL_SECONDS",
    "IMPORT_BATCH_ROWS",
    "IMPORT_BATCH_MS",
    "FAULT_REDIS_DOWN",
    "FAULT_REDIS_SLOW_MS",
    "FAULT_DB_DOWN",
    "FAULT_DB_SLOW_MS",
    "FAULT_CRASH_AFTER_INCR",
    "CACHE_ERRORS_FALL_BACK",
    "PRODUCT_CACHE_TTL_JITTER_PERCENT",
    "NEGATIVE_CACHE_TTL_SECONDS",
    "CACHE_SINGLE_FLIGHT",
    "CACHE_LOCK_TTL_MS",
    "CACHE_LOCK_RETRY_MS",
    "CACHE_LOCK_MAX_RETRIES",
    "CACHE_XFETCH_BETA",
    "CACHE_STALE_WHILE_REVALIDATE_SECONDS",
    "RATE_LIMIT_ATOMIC",
    "SIGNING_KEY_UPSTREAM_LATENCY_MS",
    "SIGNING_KEY_CACHE_TTL_SECONDS",
];

/// The names `PRESET` understands.
pub const PRESETS: &[&str] = &["mailpace"];
use crate::sim::{Completed, Engine};

/// The seed scenarios run with unless told otherwise.
pub const DEFAULT_SEED: u64 = 42;
/// Most requests one `PARALLEL` step may start.
pub const MAX_PARALLEL: usize = 10_000;
/// Longest `SLEEP`: one virtual day.
pub const MAX_SLEEP_MS: u64 = 86_400_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// 1-based line number.
    pub line: usize,
    pub text: String,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: {} (in: {})",
            self.line, self.message, self.text
        )
    }
}

/// Runs a whole script. On error, returns the output printed so far too.
pub fn run(script: &str, seed: u64) -> Result<String, (String, ScenarioError)> {
    let mut engine = Engine::new(seed);
    let mut out = String::new();
    let mut job_id: Option<String> = None;
    for (i, raw) in script.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = match &job_id {
            Some(id) => line.replace("$jobId", id),
            None if line.contains("$jobId") => {
                let err = ScenarioError {
                    line: i + 1,
                    text: line.to_string(),
                    message: "$jobId is used before any response had a jobId".into(),
                };
                return Err((out, err));
            }
            None => line.to_string(),
        };
        let before = out.len();
        let result = step(&mut engine, &line, &mut out);
        if let Some(id) = last_job_id(out.get(before..).unwrap_or_default()) {
            job_id = Some(id);
        }
        let line = line.as_str();
        if let Err(message) = result {
            return Err((
                out,
                ScenarioError {
                    line: i + 1,
                    text: line.to_string(),
                    message,
                },
            ));
        }
    }
    Ok(out)
}

fn step(engine: &mut Engine, line: &str, out: &mut String) -> Result<(), String> {
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    match word.to_ascii_uppercase().as_str() {
        "ENV" => env(engine, rest),
        "SLEEP" => {
            let ms: u64 = rest
                .parse()
                .map_err(|_| format!("SLEEP takes whole milliseconds, not “{rest}”"))?;
            if ms > MAX_SLEEP_MS {
                return Err(format!("SLEEP is at most {MAX_SLEEP_MS} ms (one day)"));
            }
            engine.advance_by(ms);
            Ok(())
        }
        "REDIS" => {
            if rest.is_empty() {
                return Err("REDIS needs a command, e.g. REDIS GET product:1".into());
            }
            if let Some(o) = engine.console_line(rest) {
                out.push_str(&o);
            }
            Ok(())
        }
        "COMPARE" => compare_step(engine, rest, out),
        "PRESET" => preset(engine, rest),
        "PARALLEL" => {
            let (n, req) = rest
                .split_once(char::is_whitespace)
                .ok_or("PARALLEL needs a count and a request")?;
            let n: usize = n
                .parse()
                .map_err(|_| format!("PARALLEL needs a whole count, not “{n}”"))?;
            if n == 0 || n > MAX_PARALLEL {
                return Err(format!("PARALLEL count must be 1–{MAX_PARALLEL}"));
            }
            let request = parse_request(req.trim())?;
            let ids: Vec<u64> = (0..n).map(|_| engine.send(request.clone())).collect();
            for done in wait_for(engine, &ids)? {
                print_response(&done, out);
            }
            Ok(())
        }
        _ => {
            let request = parse_request(line)?;
            let id = engine.send(request);
            for done in wait_for(engine, &[id])? {
                print_response(&done, out);
            }
            Ok(())
        }
    }
}

/// `PRESET <name>`: several settings at once, from a source article.
fn preset(engine: &mut Engine, name: &str) -> Result<(), String> {
    let mut s = engine.settings();
    match name.to_ascii_lowercase().as_str() {
        // MailPace: signing keys from a ~150 ms service, cached EX 60, in
        // a Redis one millisecond away.
        // The article explains expiry as Redis <= 5.0 did it (20 random
        // keys with a TTL, again while over 25% had expired), so the store
        // switches to that mode too.
        "mailpace" => {
            s.signing_keys = crate::api::signing_keys::SigningKeySettings::MAILPACE;
            s.redis_latency_ms = 1;
            engine.with_store_mut(|store| {
                store.config.expire_mode = crate::store::ExpireMode::Classic;
            });
        }
        _ => {
            return Err(format!(
                "unknown preset “{name}” (known: {})",
                PRESETS.join(", ")
            ))
        }
    }
    engine.set_settings(s);
    Ok(())
}

/// `COMPARE <algorithms|all> <max>/<window seconds> <arrivals…>`.
fn compare_step(engine: &Engine, rest: &str, out: &mut String) -> Result<(), String> {
    use crate::api::limiter_compare::{compare, parse_algorithms, parse_arrivals};
    let usage = "COMPARE needs algorithms, max/window and arrivals, e.g. COMPARE gcra,fixed-aligned 5/10 9000x5 10000x5";
    let (algorithms, rest) = rest.split_once(char::is_whitespace).ok_or(usage)?;
    let (limit, arrivals) = rest.trim().split_once(char::is_whitespace).ok_or(usage)?;
    let (max, window) = limit
        .split_once('/')
        .ok_or_else(|| format!("“{limit}” is not max/window-seconds, e.g. 5/10"))?;
    let number = |s: &str, what: &str, top: u64| {
        s.parse::<u64>()
            .ok()
            .filter(|n| (1..=top).contains(n))
            .ok_or_else(|| format!("{what} is a whole number from 1 to {top}, not “{s}”"))
    };
    let settings = engine.settings();
    let limit = crate::api::rate_limit::Limit {
        algorithm: settings.rate_limit.algorithm,
        max_requests: number(max, "max", 1_000_000)?,
        window_seconds: number(window, "the window", 86_400)?,
    };
    let comparison = compare(
        &parse_arrivals(arrivals)?,
        limit,
        settings.rate_limit_atomic,
        &parse_algorithms(algorithms)?,
    );
    out.push_str(&comparison.table());
    Ok(())
}

/// The `jobId` of the last response printed in `out`, if it had one.
fn last_job_id(out: &str) -> Option<String> {
    out.lines()
        .rev()
        .filter_map(|l| l.strip_prefix("HTTP "))
        .find_map(|l| {
            let body = l.split_once(' ')?.1;
            let body = body.rsplit_once(" (")?.0;
            let v = crate::json::parse(body).ok()?;
            v.get("jobId")
                .or_else(|| v.get("data").and_then(|d| d.get("jobId")))?
                .as_str()
                .map(str::to_string)
        })
}

fn env(engine: &mut Engine, rest: &str) -> Result<(), String> {
    if rest.is_empty() {
        return Err("ENV needs NAME=value pairs".into());
    }
    let mut s: Settings = engine.settings();
    for pair in rest.split_whitespace() {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("“{pair}” is not NAME=value"))?;
        let n = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{name} needs a whole number, not “{value}”"))
        };
        let flag = || match value {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(format!("{name} is true or false, not “{value}”")),
        };
        match name {
            "PRODUCT_CACHE_TTL_SECONDS" => s.product_cache_ttl_seconds = n()?,
            "REDIS_LATENCY_MS" => s.redis_latency_ms = n()?,
            "DB_LATENCY_MS" => s.db.base_ms = n()?,
            "DB_JITTER_MS" => s.db.jitter_ms = n()?,
            "IMPORT_STATUS_TTL_SECONDS" => s.imports.status_ttl_seconds = n()?,
            "FAULT_REDIS_DOWN" => s.faults.redis_down = flag()?,
            "FAULT_REDIS_SLOW_MS" => s.faults.redis_slow_ms = n()?,
            "FAULT_DB_DOWN" => s.faults.db_down = flag()?,
            "FAULT_DB_SLOW_MS" => s.faults.db_slow_ms = n()?,
            "FAULT_CRASH_AFTER_INCR" => s.faults.crash_after_incr = flag()?,
            "CACHE_ERRORS_FALL_BACK" => s.cache_errors_fall_back = flag()?,
            "PRODUCT_CACHE_TTL_JITTER_PERCENT" => s.defences.ttl_jitter_percent = n()?,
            "NEGATIVE_CACHE_TTL_SECONDS" => s.defences.negative_ttl_seconds = n()?,
            "CACHE_SINGLE_FLIGHT" => s.defences.single_flight = flag()?,
            "CACHE_LOCK_TTL_MS" => s.defences.lock_ttl_ms = n()?,
            "CACHE_LOCK_RETRY_MS" => s.defences.lock_retry_ms = n()?,
            "CACHE_LOCK_MAX_RETRIES" => s.defences.lock_max_retries = n()?,
            "CACHE_XFETCH_BETA" => s.defences.xfetch_beta_thousandths = beta(value)?,
            "CACHE_STALE_WHILE_REVALIDATE_SECONDS" => {
                s.defences.stale_while_revalidate_seconds = n()?
            }
            "IMPORT_BATCH_ROWS" => s.imports.batch_rows = n()?,
            "IMPORT_BATCH_MS" => s.imports.batch_ms = n()?,
            "RATE_LIMIT_MAX_REQUESTS" => s.rate_limit.max_requests = n()?,
            "RATE_LIMIT_WINDOW_SECONDS" => s.rate_limit.window_seconds = n()?,
            "RATE_LIMIT_ENABLED" => s.rate_limit_enabled = flag()?,
            "RATE_LIMIT_ALGORITHM" => {
                s.rate_limit.algorithm = Algorithm::parse(value).ok_or_else(|| {
                    let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.as_str()).collect();
                    format!("{name} is one of {}, not “{value}”", names.join(", "))
                })?
            }
            "RATE_LIMIT_IDENTIFIER" => {
                s.rate_limit_by = match value {
                    "ip" => IdentifyBy::Ip,
                    "user" => IdentifyBy::User,
                    "tenant" => IdentifyBy::Tenant,
                    _ => return Err(format!("{name} is ip, user or tenant, not “{value}”")),
                }
            }
            "RATE_LIMIT_ON_REDIS_ERROR" => {
                s.rate_limit_on_error = match value {
                    "error" => LimiterFailure::Error,
                    "open" => LimiterFailure::Open,
                    "closed" => LimiterFailure::Closed,
                    _ => return Err(format!("{name} is error, open or closed, not “{value}”")),
                }
            }
            "RATE_LIMIT_ATOMIC" => s.rate_limit_atomic = flag()?,
            "SIGNING_KEY_UPSTREAM_LATENCY_MS" => s.signing_keys.upstream_latency_ms = n()?,
            "SIGNING_KEY_CACHE_TTL_SECONDS" => s.signing_keys.cache_ttl_seconds = n()?,
            _ => {
                return Err(format!(
                    "unknown setting {name} (known: {})",
                    SETTINGS.join(", ")
                ))
            }
        }
    }
    engine.set_settings(s);
    Ok(())
}

/// `CACHE_XFETCH_BETA`: a decimal from 0 to 10 (β), kept in thousandths.
/// Sets one setting by its environment name, as `ENV NAME=value` does: the
/// playground's settings drawer and URL use this, so every way of changing
/// a setting goes through the same parser and the same error texts.
pub fn apply_env(engine: &mut Engine, name: &str, value: &str) -> Result<(), String> {
    if value.is_empty() || value.contains(char::is_whitespace) || value.contains('=') {
        return Err(format!(
            "{name} needs a value without spaces, not “{value}”"
        ));
    }
    env(engine, &format!("{name}={value}"))
}

/// The current value of a setting, written as `ENV` would accept it.
pub fn env_value(s: &Settings, name: &str) -> Option<String> {
    let b = |v: bool| v.to_string();
    Some(match name {
        "PRODUCT_CACHE_TTL_SECONDS" => s.product_cache_ttl_seconds.to_string(),
        "REDIS_LATENCY_MS" => s.redis_latency_ms.to_string(),
        "DB_LATENCY_MS" => s.db.base_ms.to_string(),
        "DB_JITTER_MS" => s.db.jitter_ms.to_string(),
        "RATE_LIMIT_ENABLED" => b(s.rate_limit_enabled),
        "RATE_LIMIT_ALGORITHM" => s.rate_limit.algorithm.as_str().to_string(),
        "RATE_LIMIT_MAX_REQUESTS" => s.rate_limit.max_requests.to_string(),
        "RATE_LIMIT_WINDOW_SECONDS" => s.rate_limit.window_seconds.to_string(),
        "RATE_LIMIT_IDENTIFIER" => match s.rate_limit_by {
            IdentifyBy::Ip => "ip",
            IdentifyBy::User => "user",
            IdentifyBy::Tenant => "tenant",
        }
        .to_string(),
        "RATE_LIMIT_ON_REDIS_ERROR" => match s.rate_limit_on_error {
            LimiterFailure::Error => "error",
            LimiterFailure::Open => "open",
            LimiterFailure::Closed => "closed",
        }
        .to_string(),
        "IMPORT_STATUS_TTL_SECONDS" => s.imports.status_ttl_seconds.to_string(),
        "IMPORT_BATCH_ROWS" => s.imports.batch_rows.to_string(),
        "IMPORT_BATCH_MS" => s.imports.batch_ms.to_string(),
        "FAULT_REDIS_DOWN" => b(s.faults.redis_down),
        "FAULT_REDIS_SLOW_MS" => s.faults.redis_slow_ms.to_string(),
        "FAULT_DB_DOWN" => b(s.faults.db_down),
        "FAULT_DB_SLOW_MS" => s.faults.db_slow_ms.to_string(),
        "FAULT_CRASH_AFTER_INCR" => b(s.faults.crash_after_incr),
        "CACHE_ERRORS_FALL_BACK" => b(s.cache_errors_fall_back),
        "PRODUCT_CACHE_TTL_JITTER_PERCENT" => s.defences.ttl_jitter_percent.to_string(),
        "NEGATIVE_CACHE_TTL_SECONDS" => s.defences.negative_ttl_seconds.to_string(),
        "CACHE_SINGLE_FLIGHT" => b(s.defences.single_flight),
        "CACHE_LOCK_TTL_MS" => s.defences.lock_ttl_ms.to_string(),
        "CACHE_LOCK_RETRY_MS" => s.defences.lock_retry_ms.to_string(),
        "CACHE_LOCK_MAX_RETRIES" => s.defences.lock_max_retries.to_string(),
        "CACHE_XFETCH_BETA" => {
            let t = s.defences.xfetch_beta_thousandths;
            format!("{}.{:03}", t / 1_000, t % 1_000)
        }
        "CACHE_STALE_WHILE_REVALIDATE_SECONDS" => {
            s.defences.stale_while_revalidate_seconds.to_string()
        }
        "RATE_LIMIT_ATOMIC" => b(s.rate_limit_atomic),
        "SIGNING_KEY_UPSTREAM_LATENCY_MS" => s.signing_keys.upstream_latency_ms.to_string(),
        "SIGNING_KEY_CACHE_TTL_SECONDS" => s.signing_keys.cache_ttl_seconds.to_string(),
        _ => return None,
    })
}

fn beta(value: &str) -> Result<u64, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|b| (0.0..=10.0).contains(b))
        .map(|b| (b * 1_000.0).round() as u64)
        .ok_or_else(|| format!("CACHE_XFETCH_BETA is a number from 0 to 10, not “{value}”"))
}

/// `<METHOD> <path> [header=value …] [json body]`: the body starts at the
/// first `{` or `[` after the path and runs to the end of the line.
pub fn parse_request(text: &str) -> Result<Request, String> {
    let (method, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let method = Request::parse_method(method).ok_or_else(|| {
        format!("unknown step “{method}” (steps: ENV, SLEEP, REDIS, PARALLEL, COMPARE, PRESET, or GET/PUT/POST/DELETE <path>)")
    })?;
    let rest = rest.trim_start();
    let (path, rest) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if !path.starts_with('/') {
        return Err(format!(
            "a request needs a path starting with /, not “{path}”"
        ));
    }
    let mut request = Request::new(method, path);
    let rest = rest.trim();
    let (headers, body) = match rest.find(['{', '[']) {
        Some(i) => (
            rest.get(..i).unwrap_or_default(),
            rest.get(i..).unwrap_or_default(),
        ),
        None => (rest, ""),
    };
    for h in headers.split_whitespace() {
        let (name, value) = h
            .split_once('=')
            .ok_or_else(|| format!("header “{h}” is not name=value"))?;
        request
            .headers
            .push((name.to_ascii_lowercase().into(), value.to_string()));
    }
    request.body = body.to_string();
    Ok(request)
}

/// Advances time until every request in `ids` completed; returns them in id order.
fn wait_for(engine: &mut Engine, ids: &[u64]) -> Result<Vec<Completed>, String> {
    let mut done: Vec<Completed> = Vec::new();
    loop {
        done.extend(
            engine
                .take_completed()
                .into_iter()
                .filter(|c| ids.contains(&c.id)),
        );
        if done.len() >= ids.len() {
            crate::sort::sort_by_u64_key(&mut done, |c| c.id);
            return Ok(done);
        }
        if engine.step().is_none() {
            return Err("the request never completed (nothing left to run)".into());
        }
    }
}

fn print_response(done: &Completed, out: &mut String) {
    let r = &done.response;
    out.push_str(&format!(
        "HTTP {} {} ({} ms)\n",
        r.status,
        r.body,
        done.latency_ms()
    ));
    let mut headers = r.headers.clone();
    headers.sort();
    for (name, value) in headers {
        out.push_str(&format!("  {name}: {value}\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mailpace_preset_sets_the_article_world() {
        let mut e = Engine::new(1);
        assert_eq!(
            e.with_store(|s| s.config.expire_mode),
            crate::store::ExpireMode::Modern
        );
        preset(&mut e, "MailPace").expect("known preset");
        let s = e.settings();
        assert_eq!(s.signing_keys.upstream_latency_ms, 150);
        assert_eq!(s.signing_keys.cache_ttl_seconds, 60);
        assert_eq!(
            e.with_store(|s| s.config.expire_mode),
            crate::store::ExpireMode::Classic
        );
        assert!(preset(&mut e, "nope").is_err());
    }

    #[test]
    fn every_setting_reads_back_what_env_wrote() {
        for name in SETTINGS {
            let mut e = Engine::new(1);
            let before = env_value(&e.settings(), name).expect("every ENV name reads");
            // Writing the current value back changes nothing.
            apply_env(&mut e, name, &before).expect("its own value is accepted");
            assert_eq!(
                env_value(&e.settings(), name).as_deref(),
                Some(before.as_str())
            );
        }
        let mut e = Engine::new(1);
        apply_env(&mut e, "RATE_LIMIT_ALGORITHM", "gcra").expect("known");
        assert_eq!(
            env_value(&e.settings(), "RATE_LIMIT_ALGORITHM").as_deref(),
            Some("gcra")
        );
        apply_env(&mut e, "CACHE_XFETCH_BETA", "1.5").expect("a beta");
        assert_eq!(
            env_value(&e.settings(), "CACHE_XFETCH_BETA").as_deref(),
            Some("1.500")
        );
        assert!(apply_env(&mut e, "PRODUCT_CACHE_TTL_SECONDS", "1 X=2").is_err());
        assert!(apply_env(&mut e, "PRODUCT_CACHE_TTL_SECONDS", "a=b").is_err());
        assert!(apply_env(&mut e, "NOPE", "1").is_err());
        assert_eq!(env_value(&e.settings(), "NOPE"), None);
    }

    #[test]
    fn parses_requests_with_headers_and_body() {
        let r = parse_request(
            r#"POST /imports Idempotency-Key=abc x-forwarded-for=1.2.3.4 {"rows": 10}"#,
        );
        let r = r.expect("parses");
        assert_eq!(r.path, "/imports");
        assert_eq!(
            r.headers,
            vec![
                ("idempotency-key".into(), "abc".into()),
                ("x-forwarded-for".into(), "1.2.3.4".into())
            ]
        );
        assert_eq!(r.body, r#"{"rows": 10}"#);
        assert!(parse_request("FETCH /x").is_err());
        assert!(parse_request("GET products").is_err());
    }

    #[test]
    fn cache_defence_settings_parse_and_clamp() {
        let out = run(
            "ENV CACHE_XFETCH_BETA=1.5 CACHE_SINGLE_FLIGHT=true PRODUCT_CACHE_TTL_JITTER_PERCENT=90",
            1,
        );
        assert_eq!(out.map_err(|(_, e)| e.message), Ok(String::new()));
        assert_eq!(beta("1.5"), Ok(1_500));
        assert_eq!(beta("0"), Ok(0));
        for bad in ["-1", "11", "NaN", "inf", "x"] {
            assert!(beta(bad).is_err(), "{bad}");
        }
        let (_, err) = run("ENV CACHE_SINGLE_FLIGHT=maybe", 1).expect_err("fails");
        assert!(err.message.contains("true or false"), "{err}");
        let d = crate::api::cache_defences::CacheDefences {
            ttl_jitter_percent: 90,
            lock_ttl_ms: 0,
            lock_retry_ms: 0,
            xfetch_beta_thousandths: u64::MAX,
            ..Default::default()
        }
        .clamped();
        assert_eq!(
            (d.ttl_jitter_percent, d.lock_ttl_ms, d.lock_retry_ms),
            (50, 1, 1)
        );
        assert_eq!(d.xfetch_beta_thousandths, 10_000);
    }

    #[test]
    fn a_bad_line_names_itself() {
        let (out, err) = run("GET /health\nSLEEP soon\nGET /health", 1).expect_err("fails");
        assert!(out.starts_with("HTTP 200 "), "{out}");
        assert_eq!(err.line, 2);
        assert!(
            err.to_string().contains("SLEEP takes whole milliseconds"),
            "{err}"
        );
        let (_, err) = run("ENV NOPE=1", 1).expect_err("fails");
        assert!(err.message.contains("unknown setting NOPE"));
    }
}
