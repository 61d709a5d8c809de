//! The load benchmark in the browser: the same 10 virtual minutes at 1,000
//! requests/s as `bench_load`, run as wasm in headless Chromium. Prints
//! figures, asserts nothing about time (only that the run is the same
//! deterministic run as natively: the counts must match bench_load's).
//!
//! Not part of `cargo test` (the target has `test = false` in Cargo.toml:
//! it takes seconds and wants a release build). Run it on its own:
//!
//! ```sh
//! source ~/.cache/rpp-tools/env.sh
//! WASM_BINDGEN_TEST_TIMEOUT=600 cargo test -p redis-playground \
//!     --target wasm32-unknown-unknown --release --test bench_wasm -- --nocapture
//! ```
#![cfg(target_arch = "wasm32")]

use playground_core::api::Settings;
use playground_core::load::{LoadConfig, LoadGenerator, Mode};
use playground_core::sim::Engine;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn ten_virtual_minutes_at_1000_requests_per_second() {
    // Exactly bench_load's first run: engine seed 42, limiter at 1,000/min,
    // open loop at 1,000/s over 200 clients, generator seed 7.
    let mut e = Engine::new(42);
    let mut s = Settings::default();
    s.rate_limit.max_requests = 1_000;
    e.set_settings(s);
    let cfg = LoadConfig {
        mode: Mode::Open { rate: 1_000.0 },
        clients: 200,
        ..LoadConfig::default()
    };
    let mut g = LoadGenerator::new(cfg, 7, 0);
    let start = js_sys::Date::now();
    g.run_until(&mut e, 600_000);
    let secs = (js_sys::Date::now() - start) / 1_000.0;
    let commands = e.with_store(|st| st.commands_processed());
    console_log!(
        "wasm: 10 virtual minutes at 1,000 req/s: {} requests ({} done), {} store commands, {} DB queries",
        g.total_sent,
        g.total_done,
        commands,
        e.db_queries()
    );
    console_log!(
        "wasm: wall time {secs:.3} s -> {:.0} virtual s per wall s, {:.2} µs per request; wall / goal (1 s): {secs:.2}x",
        600.0 / secs.max(1e-9),
        secs * 1e6 / g.total_sent.max(1) as f64
    );
    // The same seeds give the same run as natively (bench_load prints these).
    assert_eq!(g.total_sent, 625_475);
    assert_eq!(commands, 2_528_079);
}
