//! The product cache's stampede defences, on virtual time: each one off
//! (the article) against on, counting database queries.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use playground_core::api::cache_defences::{CacheDefences, NOT_FOUND_MARKER};
use playground_core::api::{ports, product_cache, CacheOutcome, Request, Settings};
use playground_core::json;
use playground_core::sim::{Completed, Engine};
use playground_core::store::{Origin, Reply, Store};

/// The limiter off (fifty requests from one address are not what is tested).
fn engine(seed: u64, defences: CacheDefences) -> Engine {
    let mut e = Engine::new(seed);
    e.set_settings(Settings {
        rate_limit_enabled: false,
        defences,
        ..Settings::default()
    });
    e
}

fn get(e: &mut Engine, path: &str) -> Completed {
    e.send(Request::get(path));
    e.run_until_idle();
    let mut done = e.take_completed();
    assert_eq!(done.len(), 1);
    done.remove(0)
}

fn redis(e: &mut Engine, args: &[&str]) -> Reply {
    let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    e.console(&args)
}

fn parallel(e: &mut Engine, n: usize, path: &str) -> Vec<Completed> {
    for _ in 0..n {
        e.send(Request::get(path));
    }
    e.run_until_idle();
    let done = e.take_completed();
    assert_eq!(done.len(), n);
    done
}

/// The response's `data`, as JSON text.
fn data_of(c: &Completed) -> String {
    let v = json::parse(&c.response.body).expect("JSON body");
    format!("{:?}", v.get("data").expect("data"))
}

fn single_flight() -> CacheDefences {
    CacheDefences {
        single_flight: true,
        ..CacheDefences::default()
    }
}

#[test]
fn fifty_cold_gets_query_the_database_fifty_times_without_single_flight_and_once_with_it() {
    let mut off = engine(7, CacheDefences::default());
    let done = parallel(&mut off, 50, "/products/2");
    assert_eq!(off.db_queries(), 50, "every request missed and queried");
    assert!(done
        .iter()
        .all(|d| d.response.cache == Some(CacheOutcome::Miss)));

    let mut on = engine(7, single_flight());
    let done = parallel(&mut on, 50, "/products/2");
    assert_eq!(on.db_queries(), 1, "one rebuild; the others waited");
    assert!(done.iter().all(|d| d.response.status == 200));
    let first = data_of(&done[0]);
    assert!(done.iter().all(|d| data_of(d) == first), "one body for all");
    let misses = done
        .iter()
        .filter(|d| d.response.cache == Some(CacheOutcome::Miss))
        .count();
    assert_eq!(misses, 1);
    // The waiters answered soon after the rebuild (403 ms), not much later:
    // a retry is 50 ms ± 50 %, plus a read.
    let slowest = done.iter().map(Completed::latency_ms).max().unwrap_or(0);
    assert!((403..=480).contains(&slowest), "{slowest}");
    assert_eq!(
        redis(&mut on, &["GET", "product:2:views"]),
        Reply::Bulk(b"50".to_vec())
    );
    assert_eq!(
        redis(&mut on, &["EXISTS", "lock:product:2"]),
        Reply::Integer(0),
        "released"
    );
}

#[test]
fn single_flight_waiters_give_up_after_their_retries_and_read_the_database() {
    let mut e = engine(
        3,
        CacheDefences {
            single_flight: true,
            lock_max_retries: 2,
            ..CacheDefences::default()
        },
    );
    // Two waits of 25–75 ms end long before the 400 ms rebuild does.
    let done = parallel(&mut e, 10, "/products/3");
    assert_eq!(e.db_queries(), 10);
    assert!(done.iter().all(|d| d.response.status == 200));
}

#[test]
fn negative_caching_keeps_a_missing_id_off_the_database_until_its_ttl_passes() {
    let mut off = engine(1, CacheDefences::default());
    get(&mut off, "/products/999");
    get(&mut off, "/products/999");
    assert_eq!(off.db_queries(), 2, "the article caches nothing for a 404");

    let mut e = engine(
        1,
        CacheDefences {
            negative_ttl_seconds: 5,
            ..CacheDefences::default()
        },
    );
    let first = get(&mut e, "/products/999");
    assert_eq!(first.response.status, 404);
    assert_eq!(e.db_queries(), 1);
    assert_eq!(
        redis(&mut e, &["GET", "product:999"]),
        Reply::Bulk(NOT_FOUND_MARKER.as_bytes().to_vec())
    );
    assert_eq!(redis(&mut e, &["TTL", "product:999"]), Reply::Integer(5));

    let second = get(&mut e, "/products/999");
    assert_eq!(second.response.status, 404);
    assert_eq!(
        second.response.body, first.response.body,
        "the article's body"
    );
    assert_eq!(second.response.cache, Some(CacheOutcome::Hit));
    assert_eq!(second.latency_ms(), 1, "one GET, no database");
    assert_eq!(e.db_queries(), 1);
    assert_eq!(
        redis(&mut e, &["EXISTS", "product:999:views"]),
        Reply::Integer(0),
        "no view counted for a 404"
    );

    e.advance_by(5_000);
    get(&mut e, "/products/999");
    assert_eq!(e.db_queries(), 2, "the marker expired");
    // Found products are unaffected.
    assert_eq!(get(&mut e, "/products/1").response.status, 200);
}

/// PTTLs of products 1–12, each written by its own cold GET.
fn ttls_after_cold_gets(seed: u64, defences: CacheDefences) -> Vec<i64> {
    let mut e = engine(seed, defences);
    (1..=12)
        .map(|id| {
            let key = format!("product:{id}");
            get(&mut e, &format!("/products/{id}"));
            match redis(&mut e, &["PTTL", &key]) {
                Reply::Integer(ms) => ms,
                other => panic!("PTTL {key}: {other:?}"),
            }
        })
        .collect()
}

#[test]
fn jittered_ttls_spread_within_bounds_and_repeat_for_a_seed() {
    // Off: every key gets exactly the TTL (EX 10, read 2 ms after the SET:
    // the INCR and the reply's round trip).
    let plain = ttls_after_cold_gets(5, CacheDefences::default());
    assert!(plain.iter().all(|&t| t == 9_998), "{plain:?}");

    let jitter = CacheDefences {
        ttl_jitter_percent: 10,
        ..CacheDefences::default()
    };
    let a = ttls_after_cold_gets(5, jitter);
    assert!(a.iter().all(|t| (8_998..=10_998).contains(t)), "{a:?}");
    let mut distinct = a.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(distinct.len() >= 10, "spread out: {a:?}");
    assert!(distinct.first() < Some(&9_700) && distinct.last() > Some(&10_300));
    assert_eq!(a, ttls_after_cold_gets(5, jitter), "same seed, same TTLs");
    assert_ne!(a, ttls_after_cold_gets(6, jitter), "another seed, others");
}

/// One GET of product 1 every `every` ms until `until`, after one GET
/// that fills the cache (its SET at 401 ms: the key expires at 10 401 ms);
/// the completed requests in order, that first one left out.
fn steady_load(e: &mut Engine, every: u64, until: u64) -> Vec<Completed> {
    get(e, "/products/1");
    let mut done = Vec::new();
    while e.now() < until {
        e.send(Request::get("/products/1"));
        e.advance_by(every);
        done.extend(e.take_completed());
    }
    e.run_until_idle();
    done.extend(e.take_completed());
    done
}

fn miss_starts(done: &[Completed]) -> Vec<u64> {
    done.iter()
        .filter(|d| d.response.cache == Some(CacheOutcome::Miss))
        .map(|d| d.started_at)
        .collect()
}

#[test]
fn xfetch_refreshes_before_expiry_so_steady_load_sees_no_miss_storm() {
    // Off (β = 0 is the same thing): nothing refreshes before the TTL, and
    // every request in the 400 ms after expiry misses.
    let mut off = engine(11, CacheDefences::default());
    let misses = miss_starts(&steady_load(&mut off, 20, 25_000));
    assert!(
        misses.iter().all(|&t| t >= 10_401),
        "never early: {misses:?}"
    );
    let storm = misses
        .iter()
        .filter(|&&t| (10_401..10_900).contains(&t))
        .count();
    assert!(storm >= 15, "a miss storm at expiry: {storm}");

    let beta_zero = CacheDefences {
        xfetch_beta_thousandths: 0,
        stale_while_revalidate_seconds: 0,
        ..CacheDefences::default()
    };
    let mut zero = engine(11, beta_zero);
    assert_eq!(
        miss_starts(&steady_load(&mut zero, 20, 25_000)),
        misses,
        "β = 0 is the article"
    );

    let mut on = engine(
        11,
        CacheDefences {
            xfetch_beta_thousandths: 1_000,
            ..CacheDefences::default()
        },
    );
    let done = steady_load(&mut on, 20, 25_000);
    let misses = miss_starts(&done);
    // About one early refresh per TTL period.
    assert!(misses.len() <= 5, "no storm: {misses:?}");
    let first_refresh = misses.first().copied().unwrap_or(u64::MAX);
    assert!(first_refresh < 10_401, "refreshed early: {misses:?}");
    assert!(
        !misses.iter().any(|t| (10_401..10_900).contains(t)),
        "nobody missed at the old expiry: {misses:?}"
    );
    assert!(
        on.db_queries() <= 6,
        "{} queries with XFetch, {} without",
        on.db_queries(),
        off.db_queries()
    );
    assert!(done.iter().all(|d| d.response.status == 200));
    // The value sits in the envelope: δ and the expiry beside the product.
    match redis(&mut on, &["GET", "product:1"]) {
        Reply::Bulk(b) => {
            let v = String::from_utf8_lossy(&b).into_owned();
            assert!(v.starts_with(r#"{"delta":400,"expiresAt":"#), "{v}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn stale_while_revalidate_answers_stale_at_once_then_the_refreshed_value() {
    let mut e = engine(
        9,
        CacheDefences {
            stale_while_revalidate_seconds: 30,
            ..CacheDefences::default()
        },
    );
    let miss = get(&mut e, "/products/1");
    assert_eq!(miss.response.cache, Some(CacheOutcome::Miss));
    // Fresh for 10 s, kept 30 s longer.
    assert_eq!(
        redis(&mut e, &["PTTL", "product:1"]),
        Reply::Integer(39_998)
    );
    e.advance_by(12_000);

    // Five readers at once past the fresh TTL: all stale, none waits for
    // the database, and one background refresh runs.
    for _ in 0..5 {
        e.send(Request::get("/products/1"));
    }
    e.advance_by(5);
    let stale = e.take_completed();
    assert_eq!(stale.len(), 5);
    for s in &stale {
        assert_eq!(s.response.cache, Some(CacheOutcome::Stale));
        assert!(s.response.body.contains(r#""cache":"stale""#));
        assert_eq!(s.latency_ms(), 2, "GET + INCR");
        assert_eq!(data_of(s), data_of(&miss));
    }
    e.run_until_idle();
    assert_eq!(e.db_queries(), 2, "one refresh for five stale reads");
    assert_eq!(
        redis(&mut e, &["EXISTS", "lock:product:1"]),
        Reply::Integer(0)
    );

    let next = get(&mut e, "/products/1");
    assert_eq!(next.response.cache, Some(CacheOutcome::Hit));
    assert_eq!(e.db_queries(), 2);

    // Past the stale window too: an ordinary miss.
    e.advance_by(45_000);
    let late = get(&mut e, "/products/1");
    assert_eq!(late.response.cache, Some(CacheOutcome::Miss));
}

/// The commands request `id` sent, from the MONITOR feed.
fn commands_of(e: &Engine, id: u64) -> Vec<Vec<String>> {
    e.with_store(|s| {
        s.monitor()
            .entries()
            .filter(|m| m.origin == Origin::Api { request: id })
            .map(|m| {
                m.args
                    .iter()
                    .map(|a| String::from_utf8_lossy(a).into_owned())
                    .collect()
            })
            .collect()
    })
}

fn lock_token_of(e: &Engine, id: u64) -> String {
    commands_of(e, id)
        .into_iter()
        .find(|c| {
            c.first().map(String::as_str) == Some("SET")
                && c.get(1).map(String::as_str) == Some("lock:product:1")
        })
        .and_then(|c| c.get(2).cloned())
        .expect("took the lock")
}

#[test]
fn a_holder_whose_lock_expired_does_not_release_the_next_holders_lock() {
    // A's lock (150 ms) expires long before its rebuild (400 ms) is done;
    // B, arriving at 300 ms, takes the free lock (until 451 ms).
    let mut e = engine(
        4,
        CacheDefences {
            single_flight: true,
            lock_ttl_ms: 150,
            ..CacheDefences::default()
        },
    );
    let a = e.send(Request::get("/products/1"));
    e.advance_by(300);
    let b = e.send(Request::get("/products/1"));
    e.advance_by(110); // A is done (≈ 403 ms), B is still rebuilding.
    let a_token = lock_token_of(&e, a);
    let b_token = lock_token_of(&e, b);
    assert_ne!(a_token, b_token);
    let a_release = commands_of(&e, a)
        .into_iter()
        .find(|c| c.first().map(String::as_str) == Some("FCALL"))
        .expect("A released");
    assert_eq!(
        a_release,
        [
            "FCALL",
            "pg_release_lock",
            "1",
            "lock:product:1",
            a_token.as_str()
        ]
    );
    assert_eq!(
        redis(&mut e, &["GET", "lock:product:1"]),
        Reply::Bulk(b_token.clone().into_bytes()),
        "A's release left B's lock alone"
    );
    // The same call A made answers 0 and deletes nothing.
    assert_eq!(
        redis(
            &mut e,
            &["FCALL", "pg_release_lock", "1", "lock:product:1", &a_token]
        ),
        Reply::Integer(0)
    );
    assert_eq!(
        redis(&mut e, &["EXISTS", "lock:product:1"]),
        Reply::Integer(1)
    );
    e.run_until_idle();
    let done = e.take_completed();
    assert!(done.iter().all(|d| d.response.status == 200));
    assert_eq!(e.db_queries(), 2);
    assert_eq!(
        redis(&mut e, &["EXISTS", "lock:product:1"]),
        Reply::Integer(0),
        "B released its own"
    );
}

/// The Redis port over a bare store, answering at once.
struct Direct(RefCell<Store>);

impl ports::Redis for Direct {
    async fn call(&self, args: &[&[u8]]) -> Reply {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
        self.0.borrow_mut().execute(0, Origin::Console, &args)
    }
}

fn now<T>(fut: impl Future<Output = T>) -> T {
    let mut fut = pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the direct port never waits"),
    }
}

#[test]
fn release_lock_reports_whether_the_lock_was_still_ours() {
    let r = Direct(RefCell::new(Store::new()));
    assert_eq!(
        now(product_cache::try_lock(&r, "1", "mine", 1_000)),
        Ok(true)
    );
    assert_eq!(
        now(product_cache::try_lock(&r, "1", "theirs", 1_000)),
        Ok(false)
    );
    assert_eq!(
        now(product_cache::release_lock(&r, "1", "theirs")),
        Ok(false)
    );
    assert_eq!(now(product_cache::release_lock(&r, "1", "mine")), Ok(true));
    assert_eq!(now(product_cache::release_lock(&r, "1", "mine")), Ok(false));
}
