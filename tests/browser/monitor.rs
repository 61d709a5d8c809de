//! The MONITOR side view, and the side views' cleanup.

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::hooks::{live_watches_owned_by, FrameLoop};
use redis_playground::route;
use wasm_bindgen_test::*;

use crate::util::*;

#[wasm_bindgen_test]
async fn console_commands_show_in_monitor_with_info() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console&seed=123454321") /> },
    );
    leptos::task::tick().await;
    assert!(shows(&host, "mon-info-db0", "keys=0,expires=0"));
    console_run(&host, "SET monitored yes EX 30");
    console_run(&host, "GET monitored");
    console_run(&host, "GET missing");
    wait_for(&host, "the GET in MONITOR", |h| {
        texts(h, "[data-testid=mon-row]")
            .first()
            .is_some_and(|t| t.contains("[console]") && t.contains("GET missing"))
    })
    .await;
    let rows = texts(&host, "[data-testid=mon-row]");
    assert!(
        rows.iter().any(|r| r.contains("SET monitored yes EX 30")),
        "{rows:?}"
    );
    wait_for(&host, "INFO figures", |h| {
        shows(h, "mon-info-keyspace_hits", "1")
            && shows(h, "mon-info-keyspace_misses", "1")
            && shows(h, "mon-info-db0", "keys=1,expires=1")
    })
    .await;
    wait_for(&host, "the most called commands", |h| {
        text(h, "mon-top").is_some_and(|t| t.ends_with("GET 2 · SET 1"))
    })
    .await;
    // A command rejected before it runs is not in MONITOR (as in Redis).
    console_run(&host, "GET");
    console_run(&host, "PING");
    wait_for(&host, "PING in MONITOR", |h| {
        texts(h, "[data-testid=mon-row]")
            .first()
            .is_some_and(|t| t.contains("PING"))
    })
    .await;
    assert!(!texts(&host, "[data-testid=mon-row]")
        .iter()
        .any(|r| r.ends_with("GET")));

    // An admin command shows, marked as one a real MONITOR would hide.
    console_run(&host, "CONFIG SET hz 10");
    wait_for(&host, "CONFIG SET in MONITOR", |h| {
        texts(h, "[data-testid=mon-row]")
            .first()
            .is_some_and(|t| t.contains("CONFIG SET hz 10") && t.contains("hidden by Redis"))
    })
    .await;
    assert_eq!(
        count(&host, "[data-testid=mon-admin]"),
        1,
        "only CONFIG is admin"
    );

    // Paused: the feed holds still while commands run.
    click(&host, "mon-pause");
    console_run(&host, "INCR hidden");
    sleep(400).await;
    leptos::task::tick().await;
    assert!(!text(&host, "monitor")
        .unwrap_or_default()
        .contains("INCR hidden"));
    click(&host, "mon-pause");
    wait_for(&host, "the feed to catch up", |h| {
        texts(h, "[data-testid=mon-row]")
            .first()
            .is_some_and(|t| t.contains("INCR hidden"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn console_keyspace_and_monitor_mount_and_unmount_without_leaks() {
    let host = host();
    let visible = RwSignal::new(false);
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <Show when=move || visible.get()>
                <Page request=route::parse("?open=console&seed=123454321") />
            </Show>
        }
    });
    leptos::task::tick().await;
    // Other tests run alongside: count only what this page's seed owns.
    const SEED: u64 = 123_454_321;
    for i in 0..100 {
        visible.set(true);
        leptos::task::tick().await;
        assert_eq!(count(&host, "[data-testid=keyspace]"), 1, "mounted");
        assert_eq!(count(&host, "[data-testid=monitor]"), 1);
        assert_eq!(
            FrameLoop::live_owned_by(SEED),
            1,
            "one simulation, one loop"
        );
        if i % 10 == 0 {
            console_run(&host, &format!("SET leak:{i} x EX 5"));
            set_value(&host, "ks-filter", "leak:*");
            press(&host, "console-input", "Tab");
            leptos::task::tick().await;
        }
        visible.set(false);
        leptos::task::tick().await;
        assert_eq!(count(&host, "[data-testid=console]"), 0, "unmounted");
    }
    // Let any frame or handler that was queued run on disposed widgets.
    sleep(100).await;
    leptos::task::tick().await;
    assert_eq!(
        FrameLoop::live_owned_by(SEED),
        0,
        "every frame loop released"
    );
    assert_eq!(
        live_watches_owned_by(SEED),
        0,
        "every visibility watch released"
    );
}
