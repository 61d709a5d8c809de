//! The MailPace case: a cached upstream answer stays stale until the forced
//! invalidation (or the TTL); the engine alone has no signing-key service.

use playground_core::api::Request;
use playground_core::side_requests::SideRequests;
use playground_core::sim::Engine;

fn key_of(body: &str) -> String {
    let v = playground_core::json::parse(body).expect("JSON");
    v.get("data")
        .and_then(|d| d.get("signingKey"))
        .and_then(|k| k.as_str())
        .expect("a signing key")
        .to_string()
}

#[test]
fn a_rotated_key_is_served_stale_until_the_cache_is_invalidated() {
    let mut e = Engine::new(3);
    let mut side = SideRequests::new();
    let mut one =
        |e: &mut Engine, r: Request| side.run(e, &[r]).pop().expect("one response").response;
    let get = || Request::get("/domains/example.com/signing-key");
    let first = one(&mut e, get());
    assert!(first.body.contains(r#""cache":"miss""#), "{}", first.body);
    let old = key_of(&first.body);
    let rotated = one(
        &mut e,
        Request::new(
            playground_core::api::Method::Put,
            "/domains/example.com/signing-key",
        ),
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
fn the_engine_alone_answers_502_for_a_miss_but_serves_invalidation() {
    let mut e = Engine::new(1);
    let id = e.send(Request::get("/domains/example.com/signing-key"));
    e.run_until_idle();
    let done = e.take_completed();
    let r = &done
        .iter()
        .find(|c| c.id == id)
        .expect("completed")
        .response;
    assert_eq!(r.status, 502, "{}", r.body);
    e.send(Request::delete("/domains/example.com/signing-key/cache"));
    e.run_until_idle();
    assert_eq!(
        e.take_completed().first().map(|c| c.response.status),
        Some(200)
    );
}
