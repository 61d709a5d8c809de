//! The keyspace side view, fed by the console on the same page Sim.

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::route;
use wasm_bindgen_test::*;

use crate::util::*;

fn rows(host: &web_sys::HtmlElement) -> Vec<String> {
    texts(host, "[data-testid=ks-row]")
}

#[wasm_bindgen_test]
async fn console_writes_show_in_the_keyspace_as_text_and_the_filter_narrows() {
    let host = host();
    let _handle =
        leptos::mount::mount_to(host.clone(), || view! { <Page request=route::parse("") /> });
    leptos::task::tick().await;
    click(&host, "tab-console");
    wait_for(&host, "the console tab", |h| {
        count(h, "[data-testid=console-input]") == 1
    })
    .await;
    assert!(text(&host, "ks-count").is_some_and(|t| t.starts_with("0 keys")));

    console_run(&host, "SET user:1 alice EX 100");
    console_run(&host, "HSET product:7 name lamp");
    console_run(
        &host,
        "SET \"<img src=x onerror=alert(1)>\" \"<b>bold</b>\"",
    );
    wait_for(&host, "three keys in the keyspace", |h| {
        text(h, "ks-count").is_some_and(|t| t.starts_with("3 keys · 1 with TTL"))
    })
    .await;
    let r = rows(&host);
    assert_eq!(r.len(), 3, "{r:?}");
    let user = r.iter().find(|t| t.contains("user:1")).expect("user:1 row");
    assert!(
        user.contains("string") && user.contains("\"alice\""),
        "{user}"
    );
    assert!(
        user.contains(" s") || user.contains("min"),
        "a TTL countdown: {user}"
    );
    let product = r
        .iter()
        .find(|t| t.contains("product:7"))
        .expect("product row");
    assert!(
        product.contains("hash") && product.contains("{name: lamp}"),
        "{product}"
    );
    // The hostile key is text: no element was made from it.
    assert!(r
        .iter()
        .any(|t| t.contains("<img src=x onerror=alert(1)>") && t.contains("\"<b>bold</b>\"")));
    assert_eq!(count(&host, "[data-testid=keyspace] img"), 0);
    assert_eq!(count(&host, "[data-testid=keyspace] b"), 0);
    let groups = texts(&host, "[data-testid=ks-group] summary");
    assert_eq!(groups.len(), 3, "{groups:?}");
    assert!(
        groups[1].starts_with("product") && groups[2].starts_with("user"),
        "sorted: {groups:?}"
    );

    set_value(&host, "ks-filter", "user:*");
    wait_for(&host, "the filter to narrow", |h| rows(h).len() == 1).await;
    assert!(rows(&host)[0].contains("user:1"));
    assert!(text(&host, "ks-shown").is_some_and(|t| t.contains("1 match")));
    set_value(&host, "ks-filter", "nothing*");
    wait_for(&host, "no rows", |h| rows(h).is_empty()).await;
    set_value(&host, "ks-filter", "");
    wait_for(&host, "all rows back", |h| rows(h).len() == 3).await;

    // Passive expiry, as in Redis: with the active cycle off, a key past its
    // TTL stays in memory (a ghost) until a command touches it.
    console_run(&host, "DEBUG SET-ACTIVE-EXPIRE 0");
    console_run(&host, "SET ghost 1 PX 5");
    console_run(&host, "DEBUG SLEEP 0.05");
    wait_for(&host, "a ghost", |h| {
        rows(h)
            .iter()
            .any(|t| t.contains("ghost") && t.contains("expired, not yet reclaimed"))
    })
    .await;
    assert_eq!(count(&host, ".pg-ks__row--ghost"), 1);
    console_run(&host, "GET ghost");
    wait_for(&host, "the ghost reclaimed by GET", |h| {
        !rows(h).iter().any(|t| t.contains("ghost"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn many_keys_render_at_most_two_hundred_rows() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console") /> },
    );
    leptos::task::tick().await;
    // Two MSETs of 2,500 keys each, in two namespaces.
    let keys: Vec<String> = (0..2_500).map(|i| format!("item:{i} {i}")).collect();
    console_run(&host, &format!("MSET {}", keys.join(" ")));
    let keys: Vec<String> = (2_500..5_000).map(|i| format!("other:{i} {i}")).collect();
    console_run(&host, &format!("MSET {}", keys.join(" ")));
    wait_for(&host, "5,000 keys counted", |h| {
        text(h, "ks-count").is_some_and(|t| t.starts_with("5,000 keys"))
    })
    .await;
    assert_eq!(count(&host, "[data-testid=ks-row]"), 200);
    assert!(text(&host, "ks-shown").is_some_and(|t| t.contains("showing 200 of 5,000")));
    let groups = texts(&host, "[data-testid=ks-group] summary");
    assert!(
        groups
            .iter()
            .any(|g| g.starts_with("item") && g.ends_with("2,500")),
        "{groups:?}"
    );
}
