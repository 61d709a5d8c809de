//! The cache-aside widget and the page around it. A miss takes about
//! 400 ms of virtual time, which at 1x is about 400 ms of real time.

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::hooks::FrameLoop;
use redis_playground::route;
use wasm_bindgen_test::*;

use crate::util::*;

#[wasm_bindgen_test]
async fn get_twice_is_miss_then_hit_and_invalidate_makes_it_miss_again() {
    let host = host();
    // Tests run concurrently on one page: find this widget's loop by the ids
    // that appeared during the (synchronous) mount.
    // Unmounting is what happens inside the app (a <Show> turning false
    // cleans up its owner); dropping a root mount handle does not run
    // cleanups in Leptos 0.8, because event handlers keep the root owner alive.
    let visible = RwSignal::new(true);
    let before = FrameLoop::live_ids();
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <Show when=move || visible.get()>
                <Page request=route::parse("?widget=cache-aside") />
            </Show>
        }
    });
    let mine: Vec<u32> = FrameLoop::live_ids()
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(mine.len(), 1, "the widget runs one frame loop");
    leptos::task::tick().await;
    assert!(shows(&host, "ca-status", "—"), "nothing answered yet");
    assert!(shows(&host, "ca-ttl-remaining", "not cached"));

    click(&host, "ca-get");
    wait_for(&host, "GET 1 to answer 200 MISS", |h| {
        shows(h, "ca-status", "200") && shows(h, "ca-cache-badge", "MISS")
    })
    .await;
    let latency: u64 = text(&host, "ca-latency")
        .and_then(|t| t.trim_end_matches(" ms").parse().ok())
        .expect("latency in ms");
    assert!(
        (400..=500).contains(&latency),
        "a miss costs Redis + DB time, not frame time: {latency} ms"
    );
    assert!(shows(&host, "ca-views", "1"));
    assert!(
        text(&host, "ca-body").is_some_and(|b| b.contains(r#""cache": "miss""#)),
        "{:?}",
        text(&host, "ca-body")
    );

    click(&host, "ca-get");
    wait_for(&host, "GET 2 to answer HIT", |h| {
        shows(h, "ca-cache-badge", "HIT") && shows(h, "ca-stat-requests", "2")
    })
    .await;
    assert!(shows(&host, "ca-views", "2"));
    assert!(shows(&host, "ca-stat-ratio", "50%"));

    click(&host, "ca-invalidate");
    wait_for(&host, "the log to show DEL product:1", |h| {
        text(h, "ca-log").is_some_and(|l| l.contains("DEL product:1"))
    })
    .await;
    wait_for(&host, "the key to be gone", |h| {
        shows(h, "ca-ttl-remaining", "not cached")
    })
    .await;

    click(&host, "ca-get");
    wait_for(&host, "GET 3 to answer MISS", |h| {
        shows(h, "ca-cache-badge", "MISS") && shows(h, "ca-stat-requests", "3")
    })
    .await;
    assert!(shows(&host, "ca-stat-hits", "1"));
    assert!(shows(&host, "ca-stat-misses", "2"));

    visible.set(false);
    leptos::task::tick().await;
    assert!(
        host.query_selector("[data-testid=cache-aside]")
            .ok()
            .flatten()
            .is_none(),
        "the widget is gone"
    );
    let live = FrameLoop::live_ids();
    assert!(
        mine.iter().all(|id| !live.contains(id)),
        "unmounting releases the frame loop"
    );
}

#[wasm_bindgen_test]
async fn burst_of_three_on_a_cold_key_is_three_misses() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?widget=cache-aside") /> },
    );
    leptos::task::tick().await;
    click(&host, "ca-get-burst");
    leptos::task::tick().await;
    assert_eq!(
        host.query_selector_all("[data-testid=ca-inflight] li")
            .map(|l| l.length())
            .unwrap_or(0),
        3,
        "three requests in flight at once: {:?}",
        text(&host, "ca-inflight")
    );
    wait_for(&host, "all three to finish", |h| {
        shows(h, "ca-stat-requests", "3")
    })
    .await;
    assert!(
        shows(&host, "ca-stat-misses", "3"),
        "all three missed: {:?}",
        text(&host, "ca-stat-misses")
    );
    assert!(shows(&host, "ca-views", "3"));
}

#[wasm_bindgen_test]
async fn paused_clock_stands_still_and_step_jumps_to_the_next_event() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?widget=cache-aside") /> },
    );
    leptos::task::tick().await;
    click(&host, "clock-toggle");
    leptos::task::tick().await;
    click(&host, "ca-get");
    leptos::task::tick().await;
    let frozen = text(&host, "clock-now");
    sleep(150).await;
    leptos::task::tick().await;
    assert_eq!(text(&host, "clock-now"), frozen, "paused means paused");
    assert!(shows(&host, "ca-status", "—"));
    // GET -> Redis reply -> DB -> SET -> INCR ...: step until it answers.
    for _ in 0..10 {
        if shows(&host, "ca-status", "200") {
            break;
        }
        click(&host, "clock-step");
        leptos::task::tick().await;
    }
    assert!(
        shows(&host, "ca-status", "200"),
        "stepping completes the request"
    );
    assert!(shows(&host, "ca-cache-badge", "MISS"));
}

#[wasm_bindgen_test]
async fn unknown_widget_shows_the_shell_with_a_note() {
    let host = host();
    let req = route::parse("?widget=nope&ttl=500");
    let _handle =
        leptos::mount::mount_to(host.clone(), move || view! { <Page request=req.clone() /> });
    leptos::task::tick().await;
    assert!(host
        .query_selector("[data-testid=shell]")
        .ok()
        .flatten()
        .is_some());
    let note = text(&host, "shell-note").expect("a note");
    assert!(note.contains("nope"), "{note}");
    assert!(note.contains("120"), "the clamped ttl is explained: {note}");
    assert!(shows(&host, "ca-ttl-value", "120 s"));
}

#[wasm_bindgen_test]
async fn embed_has_no_shell() {
    let host = host();
    let req = route::parse("?widget=cache-aside");
    let _handle =
        leptos::mount::mount_to(host.clone(), move || view! { <Page request=req.clone() /> });
    leptos::task::tick().await;
    assert!(host
        .query_selector("[data-testid=embed-root]")
        .ok()
        .flatten()
        .is_some());
    assert!(host
        .query_selector("[data-testid=shell]")
        .ok()
        .flatten()
        .is_none());
    assert!(host
        .query_selector("[data-testid=ca-get]")
        .ok()
        .flatten()
        .is_some());
}
