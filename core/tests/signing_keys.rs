//! The MailPace case: a cached upstream answer stays stale until the forced
//! invalidation (or the TTL), all in the engine on the virtual clock.

use playground_core::api::{Method, Request, Response};
use playground_core::sim::{Completed, Engine, SpanKind};

fn key_of(body: &str) -> String {
    let v = playground_core::json::parse(body).expect("JSON");
    v.get("data")
        .and_then(|d| d.get("signingKey"))
        .and_then(|k| k.as_str())
        .expect("a signing key")
        .to_string()
}

/// Sends the requests at the same instant and waits for all of them.
fn run(e: &mut Engine, requests: &[Request]) -> Vec<Completed> {
    let ids: Vec<u64> = requests.iter().map(|r| e.send(r.clone())).collect();
    e.run_until_idle();
    let mut done: Vec<Completed> = e
        .take_completed()
        .into_iter()
        .filter(|c| ids.contains(&c.id))
        .collect();
    done.sort_by_key(|c| c.id);
    assert_eq!(done.len(), ids.len(), "every request completes");
    done
}

fn one(e: &mut Engine, r: Request) -> Response {
    run(e, &[r]).pop().expect("one response").response
}

#[test]
fn a_rotated_key_is_served_stale_until_the_cache_is_invalidated() {
    let mut e = Engine::new(3);
    let get = || Request::get("/domains/example.com/signing-key");
    let first = one(&mut e, get());
    assert!(first.body.contains(r#""cache":"miss""#), "{}", first.body);
    let old = key_of(&first.body);
    let rotated = one(
        &mut e,
        Request::new(Method::Put, "/domains/example.com/signing-key"),
    );
    let new = key_of(&rotated.body);
    assert_ne!(old, new);
    // 59 s later the cache still answers, with the old key.
    e.advance_by(59_000);
    let stale = one(&mut e, get());
    assert_eq!(key_of(&stale.body), old);
    assert!(stale.body.contains(r#""cache":"hit""#));
    let del = one(
        &mut e,
        Request::delete("/domains/example.com/signing-key/cache"),
    );
    assert_eq!(del.status, 200);
    let fresh = one(&mut e, get());
    assert_eq!(key_of(&fresh.body), new);
    assert_eq!(
        e.console_line("TTL signing_key:example.com").as_deref(),
        Some("(integer) 60\n")
    );
}

#[test]
fn a_miss_waits_for_the_upstream_then_a_hit_is_one_round_trip() {
    let mut e = Engine::new(1);
    let get = Request::get("/domains/example.com/signing-key");
    let miss = run(&mut e, std::slice::from_ref(&get));
    let miss = miss.first().expect("one");
    // GET (1 ms) + upstream (150 ms) + SET (1 ms), the upstream in the trace.
    assert_eq!(miss.latency_ms(), 152, "{:?}", miss.trace);
    assert_eq!(miss.response.status, 200);
    assert!(
        miss.trace
            .iter()
            .any(|s| matches!(s.kind, SpanKind::Upstream(_)) && s.end - s.start == 150),
        "{:?}",
        miss.trace
    );
    let hit = run(&mut e, std::slice::from_ref(&get));
    assert_eq!(hit.first().map(Completed::latency_ms), Some(1));
    // Three cold misses at once: three upstream calls, all 152 ms.
    let cold: Vec<Request> = (0..3)
        .map(|_| Request::get("/domains/cold.example/signing-key"))
        .collect();
    let done = run(&mut e, &cold);
    assert!(done.iter().all(|c| c.latency_ms() == 152), "{done:?}");
}

#[test]
fn redis_down_fails_the_lookup_and_a_bad_domain_is_a_400() {
    let mut e = Engine::new(1);
    let bad = one(&mut e, Request::get("/domains/bad%20domain!/signing-key"));
    assert_eq!(bad.status, 400, "{}", bad.body);
    let mut s = e.settings();
    s.faults.redis_down = true;
    e.set_settings(s);
    let down = one(&mut e, Request::get("/domains/example.com/signing-key"));
    assert_eq!(down.status, 500, "{}", down.body);
}
