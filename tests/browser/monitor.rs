//! The MONITOR side view, and the side views' cleanup.

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::hooks::{live_watches_owned_by, FrameLoop};
use redis_playground::route;
use wasm_bindgen::JsCast;
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

/// Clear starts the view afresh (the store's log stays whole), and Save
/// log hands the browser a file of redis-cli MONITOR lines from the Clear on.
#[wasm_bindgen_test]
async fn clear_then_save_log_gives_redis_cli_monitor_lines() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console&seed=77") /> },
    );
    leptos::task::tick().await;
    console_run(&host, "SET before clear");
    wait_for(&host, "the SET in MONITOR", |h| {
        count(h, "[data-testid=mon-row]") > 0
    })
    .await;
    click(&host, "mon-clear");
    wait_for(&host, "an empty feed", |h| {
        count(h, "[data-testid=mon-row]") == 0
            && text(h, "mon-total").is_some_and(|t| t.starts_with("0 commands since Clear"))
    })
    .await;
    console_run(&host, r#"SET "two words" "<img src=x onerror=alert(1)>""#);
    console_run(&host, "GET before");
    wait_for(&host, "two rows", |h| {
        count(h, "[data-testid=mon-row]") == 2
    })
    .await;

    // Keep the test page where it is: the link's own handler still runs
    // (it is on the link, after this capture listener), the download does not.
    let stop =
        wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
            e.prevent_default()
        });
    host.add_event_listener_with_callback_and_bool("click", stop.as_ref().unchecked_ref(), true)
        .expect("listener");
    click(&host, "mon-save");
    let href = attr(&host, "[data-testid=mon-save]", "href").unwrap_or_default();
    let download = attr(&host, "[data-testid=mon-save]", "download").unwrap_or_default();
    assert!(href.starts_with("blob:"), "{href}");
    assert_eq!(download, "redis-playground-monitor.txt");
    let body = fetch_text(&href).await;
    // Each line: virtual seconds with six decimals (the clock runs here, so
    // their value is not fixed), then what redis-cli MONITOR prints.
    let lines: Vec<(&str, &str)> = body.lines().filter_map(|l| l.split_once(' ')).collect();
    assert!(
        lines.iter().all(|(t, _)| t
            .split_once('.')
            .is_some_and(|(s, us)| s.parse::<u64>().is_ok() && us.len() == 6)),
        "{body}"
    );
    let commands: Vec<&str> = lines.iter().map(|(_, c)| *c).collect();
    assert_eq!(
        commands,
        [
            r#"[0 console] "SET" "two words" "<img src=x onerror=alert(1)>""#,
            r#"[0 console] "GET" "before""#,
        ]
    );
    assert_eq!(count(&host, "[data-testid=mon-save-error]"), 0);
    // Saved again after another command: a new file with it, the old URL freed.
    console_run(&host, "PING");
    click(&host, "mon-save");
    let again = attr(&host, "[data-testid=mon-save]", "href").unwrap_or_default();
    assert_ne!(again, href);
    assert!(fetch_text(&again).await.ends_with("\"PING\"\n"));
    host.remove_event_listener_with_callback_and_bool("click", stop.as_ref().unchecked_ref(), true)
        .expect("listener removed");

    // Reset makes a new store whose feed starts at 0 again: a Clear made in
    // the old one must not hide the new one's commands.
    click(&host, "mon-clear");
    click(&host, "clock-reset");
    leptos::task::tick().await;
    console_run(&host, "SET after reset");
    wait_for(&host, "the new store's command", |h| {
        texts(h, "[data-testid=mon-row]")
            .first()
            .is_some_and(|t| t.contains("SET after reset"))
    })
    .await;
}

async fn fetch_text(url: &str) -> String {
    let window = web_sys::window().expect("window");
    let response: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
            .await
            .expect("fetched")
            .unchecked_into();
    wasm_bindgen_futures::JsFuture::from(response.text().expect("text"))
        .await
        .expect("read")
        .as_string()
        .unwrap_or_default()
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
