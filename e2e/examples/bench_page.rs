//! Page benchmarks of the served release build in headless Chromium; prints
//! figures, asserts nothing (`scripts/bench-page.sh` builds, serves and runs it):
//!
//! - time to first render: navigation start → the `pg-first-render` mark the
//!   app sets once it has mounted, median of several cold loads;
//! - frame interval p50/p99 while the load generator sends 200 requests/s at
//!   1× and the keyspace view holds 5,000 keys (`DEBUG POPULATE 5000`).
//!
//! `BENCH_URL=http://127.0.0.1:8080/ cargo run -p playground-e2e --example bench_page`

#[path = "../tests/plumbing/mod.rs"]
mod plumbing;

use fantoccini::Locator;
use plumbing::*;
use serde_json::Value;

const LOADS: usize = 7;
const FRAMES: u64 = 600;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base = std::env::var("BENCH_URL").unwrap_or_else(|_| "http://127.0.0.1:8080/".into());
    if let Err(e) = bench(&base).await {
        eprintln!("bench_page failed: {e}");
        std::process::exit(1);
    }
}

async fn bench(base: &str) -> Res<()> {
    let (_driver, c) = start_browser(DESKTOP).await?;
    let out = async {
        // --- time to first render ---------------------------------------
        let mut firsts = Vec::new();
        for _ in 0..LOADS {
            c.goto(base).await.map_err(|e| format!("open {base}: {e}"))?;
            wait_for_testid(&c, "shell").await?;
            let v = c
                .execute(
                    "const m = performance.getEntriesByName('pg-first-render'); \
                     const n = performance.getEntriesByType('navigation')[0]; \
                     return [m.length ? m[0].startTime : -1, n ? n.responseEnd : -1];",
                    vec![],
                )
                .await
                .map_err(|e| format!("reading the marks: {e}"))?;
            let first = v[0].as_f64().unwrap_or(-1.0);
            if first >= 0.0 {
                firsts.push(first);
            }
        }
        firsts.sort_by(f64::total_cmp);
        let median = firsts.get(firsts.len() / 2).copied().unwrap_or(f64::NAN);
        println!(
            "first render (navigation start -> app mounted), {} cold loads: median {median:.0} ms, min {:.0} ms, max {:.0} ms",
            firsts.len(),
            firsts.first().copied().unwrap_or(f64::NAN),
            firsts.last().copied().unwrap_or(f64::NAN)
        );

        // --- frames under load with 5,000 keys ----------------------------
        c.goto(&with_query(base, "open=console")).await.map_err(|e| e.to_string())?;
        wait_for_testid(&c, "console-input").await?;
        let input = c.find(Locator::Css(&css("console-input"))).await.map_err(|e| e.to_string())?;
        input.send_keys("DEBUG POPULATE 5000\u{E007}").await.map_err(|e| e.to_string())?;
        wait_until(&c, "the keyspace to count 5,000 keys", &["ks-count"], |s| {
            s.contains("ks-count", "5000") || s.contains("ks-count", "5,000")
        })
        .await?;
        click(&c, "tab-load").await?;
        wait_for_testid(&c, "ld-rate").await?;
        let rate = c.find(Locator::Css(&css("ld-rate"))).await.map_err(|e| e.to_string())?;
        rate.clear().await.map_err(|e| e.to_string())?;
        rate.send_keys("200\u{E007}").await.map_err(|e| e.to_string())?;
        click(&c, "ld-start").await?;
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let keys = snapshot(&c, &["ks-count", "ld-summary"]).await?;
        let d = frames(&c).await?;
        println!(
            "frame interval, 200 req/s at 1x, 5,000 keys in the keyspace view: {} (goal p99 <= 20 ms) [{}]",
            d.show(),
            keys.show(&["ks-count", "ld-summary"])
        );

        // Where the time goes: the same load with parts of the page quiet.
        let filter = c.find(Locator::Css(&css("ks-filter"))).await.map_err(|e| e.to_string())?;
        filter.send_keys("no-such-key-*").await.map_err(|e| e.to_string())?;
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        println!("  the same, keyspace filter matching nothing (no rows): {}", frames(&c).await?.show());
        // WebDriver's clear() fires no `input` event: set it as typing would.
        c.execute(
            "const i = document.querySelector('[data-testid=ks-filter]'); \
             i.value = ''; i.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
        // The key inspector on a key the load reads all the time: its
        // detail (value, history from the MONITOR ring) rebuilds with the view.
        let filter = c.find(Locator::Css(&css("ks-filter"))).await.map_err(|e| e.to_string())?;
        filter.send_keys("product:1").await.map_err(|e| e.to_string())?;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        click(&c, "ks-open").await?;
        wait_for_testid(&c, "ks-insp-history").await?;
        println!("  the same, key inspector open on product:1: {}", frames(&c).await?.show());
        click(&c, "ks-insp-close").await?;
        c.execute(
            "const i = document.querySelector('[data-testid=ks-filter]'); \
             i.value = ''; i.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
        click(&c, "tab-console").await?;
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        println!("  the same, console tab open (no charts): {}", frames(&c).await?.show());
        click(&c, "tab-load").await?;
        wait_for_testid(&c, "ld-stop").await?;
        click(&c, "ld-stop").await?;
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        println!("  load stopped, clock running, 5,000 keys: {}", frames(&c).await?.show());
        Ok::<(), String>(())
    }
    .await;
    let _ = c.close().await;
    out
}

struct Frames(Vec<f64>);

impl Frames {
    fn show(&self) -> String {
        let d = &self.0;
        let pct = |p: usize| {
            d.get((d.len() * p).div_ceil(100).saturating_sub(1))
                .copied()
                .unwrap_or(f64::NAN)
        };
        let late = d.iter().filter(|x| **x > 20.0).count();
        format!(
            "{} frames: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {late} over 20 ms",
            d.len(),
            pct(50),
            pct(99),
            d.last().copied().unwrap_or(f64::NAN),
        )
    }
}

/// The intervals between FRAMES consecutive animation frames, sorted.
async fn frames(c: &fantoccini::Client) -> Res<Frames> {
    let js = format!(
        "const done = arguments[arguments.length - 1]; const d = []; let last = null; \
         function f(t) {{ if (last !== null) d.push(t - last); last = t; \
           if (d.length < {FRAMES}) requestAnimationFrame(f); else done(d); }} \
         requestAnimationFrame(f);"
    );
    let v = c
        .execute_async(&js, vec![])
        .await
        .map_err(|e| format!("measuring frames: {e}"))?;
    let mut d: Vec<f64> = match v {
        Value::Array(a) => a.iter().filter_map(Value::as_f64).collect(),
        _ => Vec::new(),
    };
    d.sort_by(f64::total_cmp);
    Ok(Frames(d))
}
