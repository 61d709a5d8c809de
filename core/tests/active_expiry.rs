//! Active expiry and eviction: the cycles Redis runs on its own timer, on
//! the virtual clock.

use playground_core::sim::Engine;
use playground_core::store::expire::{CycleKind, KEY_COST_NS, LOOP_COST_NS};
use playground_core::store::{ExpireMode, ExpiryKind, KeyEvent, Origin, Reply, Store};

const C: Origin = Origin::Console;

fn fill(s: &mut Store, n: usize, px: u64, prefix: &str) {
    for i in 0..n {
        let px = px.to_string();
        s.exec(0, C, &["SET", &format!("{prefix}{i}"), "v", "PX", &px]);
    }
}

fn dbsize(s: &Store) -> usize {
    s.keyspace.len()
}

#[test]
fn untouched_expired_keys_are_reclaimed_by_the_cron() {
    let mut s = Store::new();
    fill(&mut s, 1_000, 500, "k");
    s.cron_until(500);
    assert_eq!(
        dbsize(&s),
        1_000,
        "nothing is due at 500 ms (still alive at expire_at)"
    );
    s.drain_cycles();
    s.cron_until(600);
    assert_eq!(
        dbsize(&s),
        0,
        "one slow cycle reclaims 1,000 fully stale keys"
    );
    let cycles = s.drain_cycles();
    let slow = cycles
        .iter()
        .find(|c| c.kind == CycleKind::Slow)
        .expect("a slow cycle ran");
    assert_eq!(slow.expired, 1_000);
    assert_eq!(slow.at, 600);
    // Every key went as an *active* expiry.
    let events = s.keyspace.drain_events();
    let active = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                KeyEvent::Expired {
                    kind: ExpiryKind::Active,
                    ..
                }
            )
        })
        .count();
    assert_eq!(active, 1_000);
}

#[test]
fn a_mostly_live_sample_ends_the_cycle_after_one_loop() {
    let mut s = Store::new();
    fill(&mut s, 19, 100, "dead");
    fill(&mut s, 981, 1_000_000, "live");
    s.cron_until(200);
    let c = s
        .drain_cycles()
        .into_iter()
        .find(|c| c.kind == CycleKind::Slow && c.sampled > 0)
        .expect("cycle");
    // 20 sampled per loop; at most 10% stale is acceptable at effort 1.
    assert_eq!(c.sampled % 20, 0);
    assert!(c.loops >= 1);
    let ratio_last_loop_ok = c.expired * 100 / c.sampled <= 10 || c.loops > 1;
    assert!(ratio_last_loop_ok, "{c:?}");
    assert!(
        dbsize(&s) > 981,
        "a light cycle leaves some dead keys for later: {}",
        dbsize(&s)
    );
}

#[test]
fn the_time_budget_caps_a_cycle_and_is_counted() {
    let mut s = Store::new();
    fill(&mut s, 120_000, 50, "k");
    s.cron_until(100);
    let slow = s
        .drain_cycles()
        .into_iter()
        .find(|c| c.kind == CycleKind::Slow)
        .expect("cycle");
    assert!(
        slow.hit_time_limit,
        "{} keys in one tick must hit the 25 ms budget",
        slow.expired
    );
    // 25% of a 100 ms tick = 25 ms of work; checked every 16 loops.
    let per_loop = 20 * KEY_COST_NS + LOOP_COST_NS;
    assert!(
        slow.work_ns >= 25_000_000 && slow.work_ns <= 25_000_000 + 16 * per_loop,
        "work {} ns",
        slow.work_ns
    );
    assert!(dbsize(&s) > 0 && dbsize(&s) < 120_000);
    let info = match s.exec(100, C, &["INFO", "stats"]) {
        Reply::Bulk(b) => String::from_utf8(b).unwrap_or_default(),
        r => panic!("INFO gave {r:?}"),
    };
    // The slow cycle hit the cap, and so did the fast one that followed it.
    let caps: u64 = info
        .split("\r\n")
        .find_map(|l| l.strip_prefix("expired_time_cap_reached_count:"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(caps >= 1, "{info}");
    // The fast cycle (before sleep) follows up because the slow one ran out of time.
    s.cron_until(500);
    assert_eq!(dbsize(&s), 0, "a few more ticks finish the job");
}

#[test]
fn effort_raises_keys_per_loop() {
    let mut s = Store::new();
    fill(&mut s, 1_000, 1_000_000, "live");
    fill(&mut s, 1, 10, "dead");
    s.cron_until(100);
    let c = s
        .drain_cycles()
        .into_iter()
        .find(|c| c.kind == CycleKind::Slow)
        .expect("cycle");
    assert_eq!(
        (c.loops, c.sampled),
        (1, 20),
        "effort 1: one loop of 20 keys"
    );
    s.exec(100, C, &["CONFIG", "SET", "active-expire-effort", "10"]);
    s.cron_until(200);
    let c = s
        .drain_cycles()
        .into_iter()
        .find(|c| c.kind == CycleKind::Slow)
        .expect("cycle");
    assert_eq!(
        (c.loops, c.sampled),
        (1, 65),
        "effort 10: 20 + 5 × 9 keys per loop"
    );
}

#[test]
fn classic_mode_samples_twenty_random_keys_and_repeats_above_a_quarter() {
    let mut s = Store::new();
    s.config.expire_mode = ExpireMode::Classic;
    fill(&mut s, 500, 10, "dead");
    fill(&mut s, 500, 1_000_000, "live");
    s.cron_until(100);
    let c = s
        .drain_cycles()
        .into_iter()
        .find(|c| c.kind == CycleKind::Slow)
        .expect("cycle");
    assert_eq!(c.sampled, u64::from(c.loops) * 20);
    assert!(
        c.loops > 1,
        "half the keys are dead, so > 25% per sample and it repeats"
    );
    assert!(dbsize(&s) < 1_000);
}

#[test]
fn debug_set_active_expire_0_leaves_expiry_to_access() {
    let mut s = Store::new();
    assert_eq!(
        s.exec(0, C, &["DEBUG", "SET-ACTIVE-EXPIRE", "0"]),
        Reply::ok()
    );
    fill(&mut s, 100, 10, "k");
    s.cron_until(5_000);
    assert_eq!(dbsize(&s), 100, "no active expiry");
    assert_eq!(s.exec(5_000, C, &["GET", "k1"]), Reply::Nil);
    assert_eq!(dbsize(&s), 99, "passive expiry still works");
}

#[test]
fn hz_sets_the_tick_rate() {
    let mut s = Store::new();
    assert_eq!(s.next_cron_at(), 100);
    s.exec(0, C, &["CONFIG", "SET", "hz", "50"]);
    assert_eq!(s.next_cron_at(), 20);
}

#[test]
fn maxmemory_evicts_under_allkeys_lru_and_refuses_under_noeviction() {
    let mut s = Store::new();
    let big = "x".repeat(200);
    s.exec(0, C, &["CONFIG", "SET", "maxmemory", "20kb"]);
    s.exec(0, C, &["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"]);
    for i in 0..500u64 {
        assert_eq!(s.exec(i, C, &["SET", &format!("k{i}"), &big]), Reply::ok());
    }
    assert!(
        s.keyspace.used_memory() <= 20_480 + 400,
        "{}",
        s.keyspace.used_memory()
    );
    assert!(s.keyspace.stats.evicted_keys > 300);
    assert!(s.keyspace.len() < 100);

    s.exec(600, C, &["CONFIG", "SET", "maxmemory-policy", "noeviction"]);
    s.exec(600, C, &["CONFIG", "SET", "maxmemory", "1kb"]);
    assert_eq!(
        s.exec(601, C, &["SET", "one", "more"]),
        Reply::error("OOM command not allowed when used memory > 'maxmemory'.")
    );
    // Reads and deletes still work when full.
    assert!(!s.exec(601, C, &["GET", "k499"]).is_error());
    assert!(!s.exec(601, C, &["DEL", "k499"]).is_error());
}

#[test]
fn volatile_ttl_evicts_the_soonest_to_expire_first() {
    let mut s = Store::new();
    let big = "x".repeat(200);
    for i in 0..50u64 {
        s.exec(
            0,
            C,
            &[
                "SET",
                &format!("k{i}"),
                &big,
                "EX",
                &(1_000 + i).to_string(),
            ],
        );
    }
    s.exec(0, C, &["CONFIG", "SET", "maxmemory-samples", "10"]);
    s.exec(0, C, &["CONFIG", "SET", "maxmemory-policy", "volatile-ttl"]);
    let limit = s.keyspace.used_memory() - 2_000;
    s.exec(0, C, &["CONFIG", "SET", "maxmemory", &limit.to_string()]);
    s.exec(1, C, &["GET", "k49"]);
    let gone: Vec<u64> = (0..50u64)
        .filter(|i| s.keyspace.peek(format!("k{i}").as_bytes()).is_none())
        .collect();
    assert!(!gone.is_empty());
    let mean = gone.iter().sum::<u64>() as f64 / gone.len() as f64;
    assert!(mean < 20.0, "the shortest TTLs go first: evicted {gone:?}");
}

#[test]
fn the_engine_runs_the_cron_with_its_clock_and_debug_sleep_moves_time() {
    let mut e = Engine::new(1);
    for i in 0..200 {
        e.console(&[
            b"SET".to_vec(),
            format!("k{i}").into_bytes(),
            b"v".to_vec(),
            b"PX".to_vec(),
            b"300".to_vec(),
        ]);
    }
    e.advance_by(1_000);
    assert_eq!(
        e.with_store(|s| s.keyspace.len()),
        0,
        "reclaimed without any access"
    );
    let r = e.console(&[b"DEBUG".to_vec(), b"SLEEP".to_vec(), b"0.25".to_vec()]);
    assert_eq!(r, Reply::ok());
    assert_eq!(e.now(), 1_250);
}

/// DEBUG SLEEP blocks Redis: no cron tick runs until it wakes, then the
/// overdue one fires once (ae does not replay the ticks it missed).
#[test]
fn a_debug_sleep_runs_no_cron_tick_until_the_server_wakes_then_one() {
    let mut e = Engine::new(1);
    for i in 0..2_000 {
        e.console_line(&format!("SET k{i} v PX 100"));
    }
    e.with_store_mut(|s| s.drain_cycles());
    let t0 = e.now();
    assert_eq!(e.console_line("DEBUG SLEEP 5").as_deref(), Some("OK\n"));
    assert_eq!(e.now(), t0 + 5_000);
    let slow: Vec<u64> = e
        .with_store_mut(|s| s.drain_cycles())
        .iter()
        .filter(|c| c.kind == CycleKind::Slow)
        .map(|c| c.at)
        .collect();
    assert_eq!(
        slow,
        [t0 + 5_000],
        "one tick, at wake-up (hz 10 would be 50)"
    );
    // That one tick's cycle (25 ms of budget at hz 10) reclaims them all.
    assert_eq!(e.with_store(|s| s.keyspace.len()), 0);
    // The cron goes on at hz from there.
    e.advance_by(1_000);
    let ticks = e
        .with_store_mut(|s| s.drain_cycles())
        .iter()
        .filter(|c| c.kind == CycleKind::Slow)
        .count();
    assert_eq!(ticks, 10);
    // Thirty years at hz 500 is one tick too, not 5·10¹¹.
    e.console_line("CONFIG SET hz 500");
    let before = e.now();
    e.console_line("DEBUG SLEEP 1000000000");
    assert_eq!(e.now(), before + 1_000_000_000_000);
}

#[test]
fn config_set_expire_mode_switches_the_algorithm_on_the_command_path() {
    let mut s = Store::new();
    assert_eq!(
        s.exec(0, C, &["CONFIG", "SET", "expire-mode", "classic"]),
        Reply::ok()
    );
    assert_eq!(s.config.expire_mode, ExpireMode::Classic);
    assert_eq!(
        s.monitor().entries().last().map(|e| e.command_line()),
        Some("CONFIG SET expire-mode classic".to_string())
    );
    assert_eq!(
        s.exec(0, C, &["CONFIG", "GET", "expire-mode"]),
        Reply::Array(vec![Reply::bulk("expire-mode"), Reply::bulk("classic")])
    );
    // `CONFIG GET *` stays Redis's list: the playground's own is not in it.
    match s.exec(0, C, &["CONFIG", "GET", "*"]) {
        Reply::Array(items) => assert!(!items.contains(&Reply::bulk("expire-mode"))),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        s.exec(0, C, &["CONFIG", "SET", "expire-mode", "fast"]),
        Reply::Error(_)
    ));
    fill(&mut s, 100, 10, "k");
    s.cron_until(200);
    let cycles = s.drain_cycles();
    assert!(cycles.iter().all(|c| c.mode == ExpireMode::Classic));
    assert!(!cycles.is_empty());
}
