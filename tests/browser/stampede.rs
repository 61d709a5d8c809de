//! The stampede widget at 50×: without a defence an expiry sends many
//! requests to the database in the same second; with single-flight, one.

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::route;
use wasm_bindgen_test::*;

use crate::util::*;

#[wasm_bindgen_test]
async fn no_defence_spikes_and_single_flight_reads_once() {
    let host = overlay_host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?widget=stampede") /> },
    );
    leptos::task::tick().await;
    assert!(shows(&host, "st-db-peak", "—"));
    set_value(&host, "st-rate", "9999");
    leptos::task::tick().await;
    assert!(
        text(&host, "st-note").is_some_and(|n| n.contains("1–500")),
        "{:?}",
        text(&host, "st-note")
    );
    set_value(&host, "st-rate", "50");
    set_value(&host, "clock-speed", "50");
    click(&host, "st-run");
    // Two rebuild bursts: the cold fill, then the first expiry (TTL 3 s).
    wait_for(&host, "a spike at an expiry", |h| {
        attr(h, "[data-testid=st-chart]", "aria-label")
            .is_some_and(|l| l.matches("second ").count() >= 2)
            && num(h, "st-db-peak").is_some_and(|p| p > 1)
    })
    .await;
    let summary = text(&host, "st-summary").unwrap_or_default();
    assert!(
        summary.starts_with("DB queries at the last expiry: "),
        "{summary}"
    );

    set_value(&host, "st-defence", "single-flight");
    wait_for(&host, "single-flight to read once per expiry", |h| {
        shows(h, "st-db-peak", "1")
            && text(h, "st-summary").is_some_and(|s| s.ends_with("→ with single-flight: 1"))
    })
    .await;
    assert!(
        text(&host, "st-answered").is_some_and(|t| t.ends_with("/ 0")),
        "no 429s: {:?}",
        text(&host, "st-answered")
    );
    click(&host, "st-run");
    host.remove();
}
