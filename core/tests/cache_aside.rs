//! Scenario tests of the simulated API on virtual time.

use playground_core::api::{CacheOutcome, Request, Settings};
use playground_core::sim::{Completed, Engine};
use playground_core::store::Reply;

fn get(engine: &mut Engine, path: &str) -> Completed {
    engine.send(Request::get(path));
    engine.run_until_idle();
    let mut done = engine.take_completed();
    assert_eq!(done.len(), 1);
    done.remove(0)
}

fn redis(engine: &mut Engine, args: &[&str]) -> Reply {
    let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    engine.console(&args)
}

/// An engine with the article's rate limiter switched off, for tests about
/// the cache alone (exact commands and latencies); the limiter in front of
/// the route has its own test below.
fn cache_only(seed: u64) -> Engine {
    let mut e = Engine::new(seed);
    e.set_settings(Settings {
        rate_limit_enabled: false,
        ..Settings::default()
    });
    e
}

fn commands_of(done: &Completed) -> Vec<String> {
    done.trace.iter().map(|s| s.label().to_string()).collect()
}

#[test]
fn miss_then_hit_then_invalidate_then_miss() {
    let mut e = cache_only(1);
    let miss = get(&mut e, "/products/1");
    assert_eq!(miss.response.status, 200);
    assert_eq!(miss.response.cache, Some(CacheOutcome::Miss));
    let product = e.products()[0].to_json();
    assert_eq!(
        miss.response.body,
        format!(r#"{{"data":{product},"meta":{{"cache":"miss","views":1}}}}"#)
    );
    // GET (1 ms) + DB (400 ms) + SET (1 ms) + INCR (1 ms)
    assert_eq!(miss.latency_ms(), 403);
    assert_eq!(
        commands_of(&miss),
        [
            "GET product:1".to_string(),
            "SELECT * FROM products WHERE id = '1'".to_string(),
            format!(
                "SET product:1 {} EX 10",
                playground_core::store::args::quote_arg(product.as_bytes())
            ),
            "INCR product:1:views".to_string(),
        ]
    );

    let hit = get(&mut e, "/products/1");
    assert_eq!(hit.response.cache, Some(CacheOutcome::Hit));
    assert_eq!(
        hit.response.body,
        format!(r#"{{"data":{product},"meta":{{"cache":"hit","views":2}}}}"#)
    );
    assert_eq!(hit.latency_ms(), 2, "GET + INCR, no DB");
    assert_eq!(e.db_queries(), 1);

    let del = get_method(&mut e, Request::delete("/products/1/cache"));
    assert_eq!(del.response.status, 200);
    assert_eq!(
        del.response.body,
        r#"{"message":"Product cache deleted","productId":"1"}"#
    );
    assert_eq!(redis(&mut e, &["EXISTS", "product:1"]), Reply::Integer(0));

    let again = get(&mut e, "/products/1");
    assert_eq!(again.response.cache, Some(CacheOutcome::Miss));
    assert!(again
        .response
        .body
        .ends_with(r#""meta":{"cache":"miss","views":3}}"#));
    assert_eq!(e.db_queries(), 2);
}

fn get_method(engine: &mut Engine, req: Request) -> Completed {
    engine.send(req);
    engine.run_until_idle();
    engine.take_completed().remove(0)
}

#[test]
fn unknown_product_is_404_counts_no_view_and_caches_nothing() {
    let mut e = Engine::new(1);
    let done = get(&mut e, "/products/404");
    assert_eq!(done.response.status, 404);
    assert_eq!(done.response.body, r#"{"error":"Product not found"}"#);
    assert_eq!(done.response.cache, None);
    assert_eq!(
        redis(&mut e, &["EXISTS", "product:404", "product:404:views"]),
        Reply::Integer(0)
    );
    // Not cached, so the next one queries the DB again.
    get(&mut e, "/products/404");
    assert_eq!(e.db_queries(), 2);
}

#[test]
fn views_count_hits_and_misses_and_have_no_ttl() {
    let mut e = Engine::new(1);
    for _ in 0..3 {
        get(&mut e, "/products/5");
    }
    let views = get(&mut e, "/products/5/views");
    assert_eq!(views.response.body, r#"{"productId":"5","views":3}"#);
    assert_eq!(
        get(&mut e, "/products/6/views").response.body,
        r#"{"productId":"6","views":0}"#
    );
    assert_eq!(
        redis(&mut e, &["TTL", "product:5:views"]),
        Reply::Integer(-1)
    );
    assert_eq!(redis(&mut e, &["TTL", "product:5"]), Reply::Integer(10));
}

#[test]
fn three_quick_gets_on_a_cold_key_are_three_concurrent_misses() {
    let mut e = Engine::new(1);
    for _ in 0..3 {
        e.send(Request::get("/products/2"));
        e.advance_by(50); // a reader clicking fast: well inside one DB query
    }
    assert_eq!(e.in_flight().len(), 3);
    assert!(e
        .in_flight()
        .iter()
        .all(|f| f.current.as_ref().is_some_and(|s| s.is_db())));
    e.run_until_idle();
    let done = e.take_completed();
    assert_eq!(done.len(), 3);
    assert!(done
        .iter()
        .all(|d| d.response.cache == Some(CacheOutcome::Miss)));
    assert_eq!(
        e.db_queries(),
        3,
        "no defence: every miss hits the database"
    );
    let views: Vec<bool> = (1..=3)
        .map(|n| {
            done.iter()
                .any(|d| d.response.body.contains(&format!("\"views\":{n}}}")))
        })
        .collect();
    assert_eq!(views, [true, true, true]);
    // A fourth after they finished is a hit.
    assert_eq!(
        get(&mut e, "/products/2").response.cache,
        Some(CacheOutcome::Hit)
    );
}

#[test]
fn cached_product_expires_with_its_ttl() {
    let mut e = Engine::new(1);
    e.set_settings(Settings {
        product_cache_ttl_seconds: 3,
        rate_limit_enabled: false,
        ..Settings::default()
    });
    let first = get(&mut e, "/products/3");
    // SET ran at 401 ms (after GET 1 ms + DB 400 ms), so expire_at = 3401.
    let set_at = first.trace[2].start;
    assert_eq!(set_at, 401);
    e.advance_to(set_at + 3_000 - 2); // request starts 2 ms before expire_at; its GET runs then
    assert_eq!(
        get(&mut e, "/products/3").response.cache,
        Some(CacheOutcome::Hit)
    );
    e.advance_to(set_at + 3_000 + 1);
    assert_eq!(
        get(&mut e, "/products/3").response.cache,
        Some(CacheOutcome::Miss)
    );
}

#[test]
fn db_latency_and_jitter_come_from_settings_and_seed() {
    let run = |seed| {
        let mut e = Engine::new(seed);
        let mut s = Settings::default();
        s.db.jitter_ms = 100;
        s.redis_latency_ms = 2;
        e.set_settings(s);
        (1..=5)
            .map(|i| get(&mut e, &format!("/products/{i}")).latency_ms())
            .collect::<Vec<_>>()
    };
    let a = run(9);
    assert_eq!(a, run(9), "same seed, same latencies");
    assert!(a.iter().all(|&l| (406..=506).contains(&l)), "{a:?}");
}

#[test]
fn health_and_unknown_routes() {
    let mut e = Engine::new(1);
    let h = get(&mut e, "/health");
    assert_eq!(
        (h.response.status, h.response.body.as_str()),
        (200, r#"{"status":"ok"}"#)
    );
    let nf = get(&mut e, "/nope");
    assert_eq!(
        (nf.response.status, nf.response.body.as_str()),
        (404, "404 Not Found")
    );
}

#[test]
fn a_tampered_views_counter_makes_a_500_like_an_uncaught_throw() {
    let mut e = Engine::new(1);
    redis(&mut e, &["SET", "product:1:views", "lots"]);
    let done = get(&mut e, "/products/1");
    assert_eq!(done.response.status, 500);
}

#[test]
fn the_article_limiter_runs_before_the_cache() {
    let mut e = Engine::new(1);
    let miss = get(&mut e, "/products/1");
    let cmds = commands_of(&miss);
    assert_eq!(
        cmds.get(..4).map(|c| c.to_vec()),
        Some(vec![
            "INCR rate_limit:get_product:unknown".to_string(),
            "EXPIRE rate_limit:get_product:unknown 60".to_string(),
            "PTTL rate_limit:get_product:unknown".to_string(),
            "GET product:1".to_string(),
        ])
    );
    assert_eq!(
        miss.latency_ms(),
        406,
        "3 limiter round trips + GET + DB + SET + INCR"
    );
    let header = |name: &str| {
        miss.response
            .headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    };
    assert_eq!(header("X-RateLimit-Limit").as_deref(), Some("100"));
    assert_eq!(header("X-RateLimit-Remaining").as_deref(), Some("99"));
    assert_eq!(header("X-RateLimit-Reset").as_deref(), Some("60"));
    let hit = get(&mut e, "/products/1");
    assert_eq!(
        commands_of(&hit).first().map(String::as_str),
        Some("INCR rate_limit:get_product:unknown")
    );
    assert_eq!(
        hit.latency_ms(),
        4,
        "INCR + PTTL + GET + INCR views: no EXPIRE after the first"
    );
}

/// Redis runs one command at a time: while a DEBUG SLEEP typed in the
/// console blocks it, the API's next command waits, and the request is
/// late by the sleep. Its span is the client's view: sent before the
/// sleep, answered after it.
#[test]
fn a_debug_sleep_delays_every_api_command_sent_during_it() {
    let mut e = cache_only(1);
    get(&mut e, "/products/1"); // cached: a hit is GET + INCR, 2 ms
    e.send(Request::get("/products/1"));
    // The GET ran when the request was sent; its INCR goes at 1 ms.
    assert_eq!(redis(&mut e, &["DEBUG", "SLEEP", "2"]), Reply::ok());
    e.run_until_idle();
    let done = e.take_completed();
    let hit = done.first().expect("the request finished");
    assert_eq!(hit.response.cache, Some(CacheOutcome::Hit));
    assert_eq!(
        hit.latency_ms(),
        2_001,
        "1 ms GET, then INCR queued to 2,000 ms + 1 ms"
    );
    let incr = hit.trace.last().expect("spans");
    assert_eq!(incr.label(), "INCR product:1:views");
    assert_eq!(
        (incr.start - hit.started_at, incr.end - hit.started_at),
        (1, 2_001)
    );
    // Once it woke, no wait: the next hit takes its 2 ms again.
    assert_eq!(get(&mut e, "/products/1").latency_ms(), 2);
}
