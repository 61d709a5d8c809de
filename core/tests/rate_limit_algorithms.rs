//! Each limiter admits exactly what its algorithm says, at the edges, in
//! both its server-side (`FCALL`) and client-side versions; a same-instant
//! burst through the engine admits exactly the limit when atomic; and the
//! fail-open/closed policies still hold when the `FCALL` cannot reach Redis.
//!
//! The edge tests replay arrivals through `limiter_compare`, which runs the
//! real limiter code on a fresh store at exact virtual times.

use playground_core::api::limiter_compare::{compare, parse_arrivals, Arrival};
use playground_core::api::rate_limit::{Algorithm, Limit};
use playground_core::api::settings::LimiterFailure;
use playground_core::api::{Request, Settings};
use playground_core::sim::{Engine, SpanKind};

fn limit(max: u64, window_seconds: u64) -> Limit {
    Limit {
        algorithm: Algorithm::ArticleFixed,
        max_requests: max,
        window_seconds,
    }
}

/// Which arrivals `algorithm` admits, in time order.
fn admitted(algorithm: Algorithm, atomic: bool, l: Limit, arrivals: &[Arrival]) -> Vec<bool> {
    let c = compare(arrivals, l, atomic, &[algorithm]);
    let run = c.runs.first().expect("one run");
    assert_eq!(run.errors, 0, "{algorithm:?}: {:?}", run.verdicts);
    run.verdicts.iter().map(|v| v.allowed).collect()
}

fn spec(s: &str) -> Vec<Arrival> {
    parse_arrivals(s).expect("a valid arrival spec")
}

/// A deterministic, irregular arrival pattern: bursts and gaps.
fn irregular(n: usize, spread_ms: u64) -> Vec<Arrival> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut t = 0;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Mostly bursts (0–3 ms apart), sometimes a long gap.
            t += if x % 5 == 0 { x % spread_ms } else { x % 4 };
            Arrival {
                at_ms: t,
                identifier: "c".into(),
            }
        })
        .collect()
}

const BOTH: [bool; 2] = [true, false];

#[test]
fn fixed_aligned_admits_the_limit_at_59_999_and_again_at_60_000() {
    for atomic in BOTH {
        let got = admitted(
            Algorithm::FixedAligned,
            atomic,
            limit(5, 60),
            &spec("59999x6 60000x6"),
        );
        let want: Vec<bool> = [true; 5]
            .into_iter()
            .chain([false])
            .chain([true; 5])
            .chain([false])
            .collect();
        assert_eq!(got, want, "atomic {atomic}");
    }
}

#[test]
fn first_request_windows_start_at_the_first_request_and_end_after_the_ttl() {
    // The window opened at 1,000 ms lives until 61,000 ms inclusive (Redis
    // expires a key strictly after its deadline), so 61,000 is refused and
    // 61,001 opens the next window.
    for algorithm in [Algorithm::ArticleFixed, Algorithm::FixedAtomic] {
        for atomic in BOTH {
            let got = admitted(
                algorithm,
                atomic,
                limit(3, 60),
                &spec("1000x3 59999 61000 61001x4"),
            );
            assert_eq!(
                got,
                vec![true, true, true, false, false, true, true, true, false],
                "{algorithm:?} atomic {atomic}"
            );
        }
    }
}

#[test]
fn sliding_log_never_admits_more_than_the_limit_in_any_window_and_refuses_only_when_full() {
    let (max, w) = (5usize, 1_000u64);
    let arrivals = irregular(400, 3_000);
    for atomic in BOTH {
        let got = admitted(
            Algorithm::SlidingLog,
            atomic,
            limit(max as u64, w / 1_000),
            &arrivals,
        );
        let mut passed: Vec<u64> = Vec::new();
        for (a, &ok) in arrivals.iter().zip(&got) {
            // The log's window is (now - w, now].
            let in_window = passed.iter().filter(|&&t| t + w > a.at_ms).count();
            assert_eq!(
                ok,
                in_window < max,
                "at {} ms with {in_window} in the window (atomic {atomic})",
                a.at_ms
            );
            if ok {
                passed.push(a.at_ms);
            }
        }
        assert!(got.iter().filter(|&&ok| ok).count() > max, "not trivial");
    }
}

#[test]
fn sliding_counter_follows_its_weighted_formula() {
    let (max, w) = (4u64, 1_000u64);
    let arrivals = irregular(300, 2_500);
    for atomic in BOTH {
        let got = admitted(Algorithm::SlidingCounter, atomic, limit(max, 1), &arrivals);
        // Model: counts per aligned window; weighted = floor((w - e)·prev/w) + cur.
        let mut counts: std::collections::HashMap<u64, u64> = Default::default();
        for (a, &ok) in arrivals.iter().zip(&got) {
            let window = a.at_ms / w;
            let prev = window
                .checked_sub(1)
                .and_then(|p| counts.get(&p))
                .copied()
                .unwrap_or(0);
            let cur = counts.get(&window).copied().unwrap_or(0);
            let weighted = (w - a.at_ms % w) * prev / w + cur;
            assert_eq!(ok, weighted < max, "at {} ms (atomic {atomic})", a.at_ms);
            if ok {
                *counts.entry(window).or_default() += 1;
            }
        }
    }
}

#[test]
fn token_bucket_and_gcra_burst_the_capacity_then_one_per_window_over_capacity() {
    // 5 per 10 s: a burst of 5, then one every 2,000 ms.
    let arrivals = spec("0x6 1999 2000x2 3999 4000 10000x5");
    let want = vec![
        true, true, true, true, true, false, // the burst, then empty
        false, // 1,999 ms: not yet a whole token
        true, false, // 2,000 ms: exactly one
        false, true, // 3,999: no; 4,000: the next one
        // 10,000 ms: 6,000 ms since the last, three tokens back.
        true, true, true, false, false,
    ];
    for algorithm in [Algorithm::TokenBucket, Algorithm::Gcra] {
        for atomic in BOTH {
            assert_eq!(
                admitted(algorithm, atomic, limit(5, 10), &arrivals),
                want,
                "{algorithm:?} atomic {atomic}"
            );
        }
    }
}

#[test]
fn the_boundary_burst_is_twice_the_limit_for_fixed_windows_only() {
    let c = compare(&spec("9999x5 10000x5"), limit(5, 10), true, &Algorithm::ALL);
    let allowed: Vec<(Algorithm, usize)> =
        c.runs.iter().map(|r| (r.algorithm, r.allowed)).collect();
    assert_eq!(
        allowed,
        vec![
            // The first-request windows started at 9,999: one window.
            (Algorithm::ArticleFixed, 5),
            (Algorithm::FixedAtomic, 5),
            (Algorithm::FixedAligned, 10),
            (Algorithm::SlidingCounter, 5),
            (Algorithm::SlidingLog, 5),
            (Algorithm::TokenBucket, 5),
            (Algorithm::Gcra, 5),
        ]
    );
}

fn engine(algorithm: Algorithm, atomic: bool) -> Engine {
    let mut e = Engine::new(7);
    let mut s = Settings::default();
    s.rate_limit.algorithm = algorithm;
    s.rate_limit.max_requests = 5;
    s.rate_limit.window_seconds = 10;
    s.rate_limit_atomic = atomic;
    e.set_settings(s);
    e
}

/// Sends `n` requests at the same instant and returns their statuses.
fn burst(e: &mut Engine, n: usize) -> Vec<u16> {
    let mut req = Request::get("/products/1");
    req.headers
        .push(("x-forwarded-for".into(), "198.51.100.7".into()));
    let ids: Vec<u64> = (0..n).map(|_| e.send(req.clone())).collect();
    e.run_until_idle();
    let mut done = e.take_completed();
    done.sort_by_key(|c| c.id);
    assert_eq!(done.iter().map(|c| c.id).collect::<Vec<_>>(), ids);
    done.iter().map(|c| c.response.status).collect()
}

#[test]
fn a_parallel_burst_of_twice_the_limit_admits_exactly_the_limit_when_atomic() {
    for algorithm in Algorithm::ALL {
        if algorithm == Algorithm::ArticleFixed {
            continue; // always the article's INCR-then-EXPIRE
        }
        let statuses = burst(&mut engine(algorithm, true), 10);
        assert_eq!(
            statuses.iter().filter(|&&s| s == 200).count(),
            5,
            "{algorithm:?}: {statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|&&s| s == 429).count(),
            5,
            "{algorithm:?}"
        );
    }
}

#[test]
fn the_client_side_read_modify_write_versions_still_race() {
    // Kept for teaching: all ten read the same state and all pass.
    for algorithm in [
        Algorithm::SlidingLog,
        Algorithm::TokenBucket,
        Algorithm::Gcra,
    ] {
        let statuses = burst(&mut engine(algorithm, false), 10);
        assert!(
            statuses.iter().filter(|&&s| s == 200).count() > 5,
            "{algorithm:?}: {statuses:?}"
        );
    }
}

#[test]
fn fail_open_and_closed_still_apply_when_the_fcall_cannot_reach_redis() {
    for algorithm in [
        Algorithm::FixedAtomic,
        Algorithm::SlidingCounter,
        Algorithm::SlidingLog,
        Algorithm::TokenBucket,
        Algorithm::Gcra,
    ] {
        for (policy, status) in [
            (LimiterFailure::Error, 500),
            // Let through; the cache read then fails too and falls back to the DB.
            (LimiterFailure::Open, 200),
            (LimiterFailure::Closed, 503),
        ] {
            let mut e = engine(algorithm, true);
            let mut s = e.settings();
            s.faults.redis_down = true;
            s.rate_limit_on_error = policy;
            s.cache_errors_fall_back = true;
            e.set_settings(s);
            e.send(Request::get("/products/1"));
            e.run_until_idle();
            let done = e.take_completed();
            let c = done.first().expect("completed");
            assert_eq!(c.response.status, status, "{algorithm:?} {policy:?}");
            let first = c.trace.first().map(|s| &s.kind);
            assert!(
                matches!(first, Some(SpanKind::Redis(cmd)) if cmd.text().starts_with("FCALL pg_") && cmd.text().ends_with("(timed out)")),
                "{algorithm:?}: {first:?}"
            );
        }
    }
}
