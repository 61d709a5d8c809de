//! The rate-limit widget, alone in an embed (its own simulation).

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::route;
use wasm_bindgen_test::*;

use crate::util::*;

fn mount() -> web_sys::HtmlElement {
    let host = pinned_host();
    let h = host.clone();
    let handle = leptos::mount::mount_to(
        h,
        || view! { <Page request=route::parse("?widget=rate-limit") /> },
    );
    // Kept mounted for the rest of the test run, like the other tests' pages.
    std::mem::forget(handle);
    host
}

/// The text of each cell of the table row `testid`.
fn cells(host: &web_sys::HtmlElement, testid: &str) -> Vec<String> {
    let Ok(list) = host.query_selector_all(&format!("[data-testid={testid}] > *")) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default().trim().to_string())
        .collect()
}

/// The count shown at `testid` (0 until it shows one).
fn number(host: &web_sys::HtmlElement, testid: &str) -> u64 {
    text(host, testid)
        .and_then(|t| t.parse::<u64>().ok())
        .unwrap_or(0)
}

fn has(host: &web_sys::HtmlElement, testid: &str, part: &str) -> bool {
    text(host, testid).is_some_and(|t| t.contains(part))
}

#[wasm_bindgen_test]
async fn a_burst_over_the_limit_gets_429s_with_headers_while_another_client_passes() {
    let host = mount();
    leptos::task::tick().await;
    set_value(&host, "clock-speed", "50");
    set_value(&host, "rl-max", "3");
    set_value(&host, "rl-window", "60");
    leptos::task::tick().await;
    click(&host, "rl-client-1-burst");
    wait_for(&host, "client 1: 3 allowed, 7 limited", |h| {
        shows(h, "rl-client-1-allowed", "3") && shows(h, "rl-client-1-limited", "7")
    })
    .await;
    assert!(
        has(&host, "rl-state-1", "10/3"),
        "{:?}",
        text(&host, "rl-state-1")
    );

    // One more: the newest answer is a 429 with the limit headers.
    click(&host, "rl-client-1-send");
    wait_for(&host, "the 11th request to be refused", |h| {
        shows(h, "rl-client-1-limited", "8") && shows(h, "rl-client-1-status", "429")
    })
    .await;
    let headers = text(&host, "rl-client-1-headers").unwrap_or_default();
    for part in [
        "X-RateLimit-Limit: 3",
        "X-RateLimit-Remaining: 0",
        "Retry-After: ",
    ] {
        assert!(headers.contains(part), "{part} in {headers}");
    }
    assert!(
        has(&host, "rl-headers", "429"),
        "{:?}",
        text(&host, "rl-headers")
    );
    assert!(has(&host, "rl-headers", "Too many requests"));

    // Another IP has its own counter.
    click(&host, "rl-client-2-send");
    wait_for(&host, "client 2 to pass", |h| {
        shows(h, "rl-client-2-allowed", "1") && shows(h, "rl-client-2-limited", "0")
    })
    .await;
    assert!(
        has(&host, "rl-state-2", "1/3"),
        "{:?}",
        text(&host, "rl-state-2")
    );

    // The replay of the same 12 requests agrees with the live run, and the
    // compared algorithm (sliding log by default) is listed beside it.
    assert!(has(&host, "rl-compare", "12 recorded requests"));
    assert_eq!(
        cells(&host, "rl-compare-article-fixed"),
        ["article-fixed", "4", "8", "3", "1", "0", "0", ""]
    );
    set_value(&host, "rl-compare-with", "token-bucket");
    wait_for(&host, "the token-bucket row", |h| {
        cells(h, "rl-compare-token-bucket").get(..3)
            == Some(&["token-bucket", "4", "8"].map(String::from)[..])
    })
    .await;
}

fn clock_ms(host: &web_sys::HtmlElement) -> u64 {
    let t = text(host, "clock-now").unwrap_or_default();
    // mm:ss.mmm
    let (m, rest) = t.split_once(':').unwrap_or(("0", "0"));
    let (s, ms) = rest.split_once('.').unwrap_or((rest, "0"));
    let n = |x: &str| x.trim().parse::<u64>().unwrap_or(0);
    n(m) * 60_000 + n(s) * 1_000 + n(ms)
}

#[wasm_bindgen_test]
async fn steady_traffic_follows_the_virtual_clock_not_real_time() {
    let host = mount();
    leptos::task::tick().await;
    click(&host, "clock-toggle");
    leptos::task::tick().await;
    set_value(&host, "rl-rate", "2");
    let t0 = clock_ms(&host);
    click(&host, "rl-client-3-steady");
    leptos::task::tick().await;
    assert!(shows(&host, "rl-client-3-steady", "Steady: on"));
    // Paused: real time passes, nothing more is sent.
    sleep(200).await;
    leptos::task::tick().await;
    assert_eq!(clock_ms(&host), t0, "paused means paused");
    // Step the clock past 4 virtual seconds.
    for _ in 0..400 {
        if clock_ms(&host) >= t0 + 4_000 {
            break;
        }
        click(&host, "clock-step");
        leptos::task::tick().await;
    }
    let t1 = clock_ms(&host);
    click(&host, "rl-client-3-steady");
    leptos::task::tick().await;
    // Due at t0, t0 + 500, …, up to t1: all sent, none after.
    let expected = (t1 - t0) / 500 + 1;
    set_value(&host, "clock-speed", "50");
    click(&host, "clock-toggle");
    wait_for(&host, "every steady request to be answered", |h| {
        number(h, "rl-client-3-allowed") + number(h, "rl-client-3-limited") == expected
    })
    .await;
    sleep(100).await;
    let n = |id: &str| number(&host, id);
    assert_eq!(
        n("rl-client-3-allowed") + n("rl-client-3-limited"),
        expected,
        "no request after steady was turned off"
    );
    assert_eq!(n("rl-client-1-allowed"), 0, "other clients sent nothing");
}

#[wasm_bindgen_test]
async fn at_fifty_times_speed_steady_traffic_at_the_limit_is_never_refused() {
    // 10 req/s against GCRA 10 per second: every request is exactly one
    // emission interval after the last, so none may be refused. A frame at
    // 50× moves the clock ~800 ms; sending a frame's requests together
    // (at the frame's end) made bursts that GCRA refused.
    let host = mount();
    leptos::task::tick().await;
    set_value(&host, "rl-algorithm", "gcra");
    set_value(&host, "rl-max", "10");
    set_value(&host, "rl-window", "1");
    set_value(&host, "rl-rate", "10");
    set_value(&host, "clock-speed", "50");
    leptos::task::tick().await;
    click(&host, "rl-client-2-steady");
    let n = number;
    wait_for(&host, "120 steady requests to be answered", |h| {
        n(h, "rl-client-2-allowed") + n(h, "rl-client-2-limited") >= 120
    })
    .await;
    click(&host, "rl-client-2-steady");
    assert_eq!(
        n(&host, "rl-client-2-limited"),
        0,
        "no 429 for traffic at the limit"
    );
}

#[wasm_bindgen_test]
async fn the_crash_between_incr_and_expire_leaves_an_immortal_key() {
    let host = mount();
    leptos::task::tick().await;
    set_value(&host, "clock-speed", "50");
    set_value(&host, "rl-algorithm", "gcra");
    set_value(&host, "rl-max", "2");
    click(&host, "rl-fault-crash");
    wait_for(&host, "the algorithm to switch to article-fixed", |h| {
        has(h, "rl-note", "article-fixed") && has(h, "rl-state", "article-fixed")
    })
    .await;
    for (i, want) in ["502", "200", "429"].iter().enumerate() {
        click(&host, "rl-client-4-send");
        wait_for(&host, &format!("answer {} to be {want}", i + 1), |h| {
            let n = |id: &str| number(h, id);
            n("rl-client-4-allowed") + n("rl-client-4-limited") + n("rl-client-4-failed")
                == i as u64 + 1
                && shows(h, "rl-client-4-status", want)
        })
        .await;
    }
    let state = text(&host, "rl-state-4").unwrap_or_default();
    assert!(state.contains("immortal key: TTL -1"), "{state}");
    assert!(
        state.contains("this client is now blocked forever"),
        "{state}"
    );
}
