//! The trace side view draws the last request as a sequence.

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::route;
use wasm_bindgen_test::*;

use crate::util::*;

#[wasm_bindgen_test]
async fn a_get_shows_as_client_api_redis_db_and_back() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("speed=10") /> },
    );
    leptos::task::tick().await;
    assert!(
        text(&host, "trace-empty").is_some(),
        "nothing yet: {:?}",
        text(&host, "trace")
    );
    click(&host, "ca-get");
    wait_for(&host, "the finished GET drawn in the trace", |h| {
        text(h, "trace-seq").is_some_and(|t| t.contains("200 (miss)"))
    })
    .await;
    let steps = texts(&host, "[data-testid=trace-step]");
    assert!(
        steps
            .first()
            .is_some_and(|s| s.contains("client → API: GET /products/1")),
        "{steps:?}"
    );
    assert!(
        steps
            .iter()
            .any(|s| s.contains("API → Redis: GET product:1")),
        "{steps:?}"
    );
    assert!(steps.iter().any(|s| s.contains("API → DB:")), "{steps:?}");
    assert!(
        steps
            .last()
            .is_some_and(|s| s.contains("API → client: 200 (miss)")),
        "{steps:?}"
    );
}
