//! The fencing-token demo, driven through the engine: a worker whose lock
//! expired during a pause cannot overwrite the result of the worker that
//! took the lock after it.

use playground_core::api::{Method, Request, Response};
use playground_core::sim::Engine;
use playground_core::store::Reply;

fn send(e: &mut Engine, method: Method, path: &str, body: &str) -> Response {
    let mut req = Request::new(method, path);
    req.body = body.to_string();
    let id = e.send(req);
    loop {
        if let Some(done) = e.take_completed().into_iter().find(|c| c.id == id) {
            return done.response;
        }
        assert!(e.step().is_some(), "the request never completed");
    }
}

fn token(r: &Response) -> i64 {
    let v = playground_core::json::parse(&r.body).expect("JSON body");
    v.get("token")
        .and_then(|t| t.as_i64())
        .expect("a token in the body")
}

#[test]
fn a_stale_token_cannot_overwrite_the_newer_holders_write() {
    let mut e = Engine::new(1);
    let lock = |client: &str| format!(r#"{{"client":"{client}","ttlMs":5000}}"#);
    let r1 = send(&mut e, Method::Post, "/jobs/7/lock", &lock("w1"));
    assert_eq!(r1.status, 200, "{}", r1.body);
    let t1 = token(&r1);
    // Held: the second worker is turned away.
    let busy = send(&mut e, Method::Post, "/jobs/7/lock", &lock("w2"));
    assert_eq!(busy.status, 409);
    // Worker 1's GC pause outlasts the lock's TTL.
    e.advance_by(5_001);
    let r2 = send(&mut e, Method::Post, "/jobs/7/lock", &lock("w2"));
    assert_eq!(r2.status, 200, "{}", r2.body);
    let t2 = token(&r2);
    assert!(
        t2 > t1,
        "a later holder gets a higher token: {t1} then {t2}"
    );

    let w2 = format!(r#"{{"token":{t2},"value":"from w2"}}"#);
    assert_eq!(send(&mut e, Method::Put, "/jobs/7/result", &w2).status, 200);
    // Worker 1 wakes and writes with its old token: refused.
    let w1 = format!(r#"{{"token":{t1},"value":"from w1"}}"#);
    let stale = send(&mut e, Method::Put, "/jobs/7/result", &w1);
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.body.contains("Stale fencing token"), "{}", stale.body);

    // The record keeps worker 2's value and token.
    let got = send(&mut e, Method::Get, "/jobs/7/result", "");
    assert_eq!(
        got.body,
        format!(r#"{{"data":{{"job":"7","value":"from w2","token":{t2}}}}}"#)
    );
    let stored = e.console_line("HGET job:7:result value");
    assert_eq!(stored.as_deref(), Some("\"from w2\"\n"));
    // Worker 1 cannot release a lock that is no longer its own.
    let release = send(&mut e, Method::Delete, "/jobs/7/lock", r#"{"client":"w1"}"#);
    assert_eq!(release.status, 409);
    assert_eq!(
        e.console(&[b"GET".to_vec(), b"lock:job:7".to_vec()]),
        Reply::Bulk(b"w2".to_vec())
    );
}

#[test]
fn bad_bodies_are_400_and_a_missing_result_is_404() {
    let mut e = Engine::new(1);
    assert_eq!(send(&mut e, Method::Post, "/jobs/1/lock", "{}").status, 400);
    assert_eq!(
        send(&mut e, Method::Put, "/jobs/1/result", r#"{"token":"x"}"#).status,
        400
    );
    assert_eq!(send(&mut e, Method::Get, "/jobs/1/result", "").status, 404);
}
