//! The load widget: 200 requests a second on the page's engine; after a
//! few virtual seconds the charts have lines and the summary a hit ratio.

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::route;
use wasm_bindgen_test::*;

use crate::util::*;

#[wasm_bindgen_test]
async fn load_draws_charts_and_summarises_the_hit_ratio() {
    let host = overlay_host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?widget=load") /> },
    );
    leptos::task::tick().await;
    assert_eq!(
        count(&host, "[data-testid=ld-chart-db]"),
        0,
        "no chart before a run"
    );
    set_value(&host, "ld-rate", "90000");
    leptos::task::tick().await;
    assert!(
        text(&host, "ld-note").is_some_and(|n| n.contains("1–5,000")),
        "{:?}",
        text(&host, "ld-note")
    );
    set_value(&host, "ld-rate", "200");
    leptos::task::tick().await;
    assert!(shows(&host, "ld-note", ""));
    set_value(&host, "clock-speed", "10");
    click(&host, "ld-start");
    wait_for(&host, "five virtual seconds of charts", |h| {
        ["db", "hit", "latency", "429", "keys", "memory"]
            .iter()
            .all(|m| {
                attr(h, &format!("[data-testid=ld-chart-{m}] path"), "d")
                    .is_some_and(|d| d.matches(" L").count() >= 4)
            })
    })
    .await;
    // 429s and 5xx share a chart: two lines, both read out.
    assert_eq!(count(&host, "[data-testid=ld-chart-429] path"), 2);
    let label = attr(&host, "[data-testid=ld-chart-429]", "aria-label").unwrap_or_default();
    assert!(
        label.starts_with("429 and 5xx per second: now 429 ") && label.contains(" · 5xx "),
        "{label}"
    );
    let summary = text(&host, "ld-summary").unwrap_or_default();
    assert!(summary.contains("5xx responses"), "{summary}");
    let ratio = summary
        .split("Hit ratio")
        .nth(1)
        .and_then(|r| r.split('%').next())
        .and_then(|n| n.trim().parse::<u32>().ok());
    assert!(ratio.is_some_and(|r| r > 0 && r <= 100), "{summary}");
    click(&host, "ld-stop");
    leptos::task::tick().await;
    assert_eq!(
        count(&host, "[data-testid=ld-chart-db]"),
        1,
        "the charts stay after a stop"
    );
    host.remove();
}
