//! The service-cache widget (MailPace case), alone in an embed. The
//! signing-key service takes ~150 ms of virtual time: about that at 1×.

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::route;
use wasm_bindgen_test::*;

use crate::util::*;

fn has(host: &web_sys::HtmlElement, testid: &str, part: &str) -> bool {
    text(host, testid).is_some_and(|t| t.contains(part))
}

#[wasm_bindgen_test]
async fn miss_then_hit_then_a_stale_key_until_forced_invalidation() {
    let host = pinned_host();
    let handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?widget=service-cache") /> },
    );
    std::mem::forget(handle);
    leptos::task::tick().await;
    set_value(&host, "sc-domain", "shop.example");
    assert!(shows(&host, "sc-ttl", "not cached"));

    click(&host, "sc-send");
    wait_for(&host, "the first lookup to miss", |h| {
        has(h, "sc-result", "MISS")
    })
    .await;
    let result = text(&host, "sc-result").unwrap_or_default();
    assert!(result.contains("shop.example"), "{result}");
    assert!(
        result.contains("150 ms · upstream · GET signing key of shop.example"),
        "{result}"
    );
    assert!(result.contains("dkim-v1-"), "{result}");
    assert!(
        has(&host, "sc-ttl", "s left"),
        "{:?}",
        text(&host, "sc-ttl")
    );

    click(&host, "sc-send");
    wait_for(&host, "the second lookup to hit", |h| {
        has(h, "sc-result", "HIT")
    })
    .await;
    assert!(
        !has(&host, "sc-result", "upstream"),
        "a hit never calls the service"
    );

    click(&host, "sc-rotate");
    wait_for(&host, "the rotation", |h| {
        has(h, "sc-log", "rotated upstream: now dkim-v2-")
    })
    .await;
    assert!(
        has(&host, "sc-domains", "STALE"),
        "{:?}",
        text(&host, "sc-domains")
    );
    click(&host, "sc-send");
    wait_for(&host, "a hit on the stale key", |h| {
        has(h, "sc-result", "HIT") && has(h, "sc-result", "STALE")
    })
    .await;
    assert!(has(&host, "sc-result", "dkim-v1-"));

    click(&host, "sc-invalidate");
    wait_for(&host, "the key to be deleted", |h| {
        shows(h, "sc-ttl", "not cached")
    })
    .await;
    click(&host, "sc-send");
    wait_for(&host, "a miss with the new key", |h| {
        has(h, "sc-result", "MISS") && has(h, "sc-result", "dkim-v2-")
    })
    .await;
    assert!(!has(&host, "sc-result", "STALE"));
    assert!(!has(&host, "sc-domains", "STALE"));
}
