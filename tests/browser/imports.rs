//! The import-status widget, alone in an embed (its own simulation).

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::route;
use wasm_bindgen_test::*;

use crate::util::*;

fn has(host: &web_sys::HtmlElement, testid: &str, part: &str) -> bool {
    text(host, testid).is_some_and(|t| t.contains(part))
}

#[wasm_bindgen_test]
async fn an_import_completes_then_its_status_expires_into_a_404() {
    let host = pinned_host();
    let handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?widget=imports") /> },
    );
    std::mem::forget(handle);
    leptos::task::tick().await;
    assert!(
        host.query_selector("[data-testid=im-retry]")
            .ok()
            .flatten()
            .and_then(|b| b.get_attribute("disabled"))
            .is_some(),
        "nothing to retry yet"
    );
    // At 1× the import (1000 rows, 2.5 s) is still running when the retry
    // answers; then 50× for the rest.
    set_value(&host, "im-ttl", "4");
    click(&host, "im-start");
    wait_for(&host, "the import to be accepted", |h| {
        has(h, "im-outcome", "202 Accepted: import 1") && count(h, "[data-testid=im-row]") == 1
    })
    .await;

    // Retry while it runs: the same job (409), no second import.
    click(&host, "im-retry");
    wait_for(&host, "the retry's answer", |h| {
        has(h, "im-outcome", "409 Conflict")
    })
    .await;
    assert!(has(&host, "im-outcome", "import 1"));
    assert!(has(&host, "im-outcome", "No second import"));
    assert_eq!(count(&host, "[data-testid=im-row]"), 1);

    set_value(&host, "clock-speed", "50");
    wait_for(&host, "the polls to see it completed", |h| {
        shows(h, "im-status-1", "completed")
    })
    .await;
    let bar = host
        .query_selector("[data-testid=im-progress-1]")
        .ok()
        .flatten()
        .and_then(|b| b.get_attribute("aria-valuenow"));
    assert_eq!(bar.as_deref(), Some("100"));
    assert!(
        has(&host, "im-polls", "processing"),
        "{:?}",
        text(&host, "im-polls")
    );

    wait_for(&host, "the TTL to run out into a 404", |h| {
        shows(h, "im-status-1", "404: gone")
    })
    .await;
    let polls = text(&host, "im-polls").unwrap_or_default();
    assert!(polls.contains("→ 404 Import job not found"), "{polls}");
    assert!(shows(&host, "im-ttl-1", "no key"));

    // The key is gone, the idempotency record is not: the first answer is
    // replayed, still one import.
    click(&host, "im-retry");
    wait_for(&host, "the replayed answer", |h| {
        has(h, "im-outcome", "Idempotent-Replayed: true")
    })
    .await;
    assert_eq!(count(&host, "[data-testid=im-row]"), 1);

    // A new start is a second import.
    click(&host, "im-start");
    wait_for(&host, "a second import", |h| {
        count(h, "[data-testid=im-row]") == 2 && has(h, "im-outcome", "import 2")
    })
    .await;
}
