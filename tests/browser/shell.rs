//! The page around the widgets: every registered widget mounts and
//! unmounts cleanly, hostile input renders as text, the tour and settings
//! drawer work, and the shared store is shared.

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::hooks::{live_watches_owned_by, FrameLoop};
use redis_playground::route;
use redis_playground::widgets::registry::WIDGETS;
use wasm_bindgen_test::*;

use crate::util::*;

#[wasm_bindgen_test]
async fn every_widget_mounts_and_unmounts_100_times_leaving_nothing_running() {
    let host = host();
    // Other tests run at the same time: this test's simulations have a seed
    // of their own, and the loops and watches they make carry it.
    const SEED: u64 = 987_654_321;
    let visible = RwSignal::new(true);
    let which = RwSignal::new(0usize);
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <Show when=move || visible.get()>
                {move || {
                    let name = WIDGETS.get(which.get() % WIDGETS.len()).map_or("cache-aside", |w| w.name);
                    view! { <Page request=route::parse(&format!("widget={name}&seed={SEED}")) /> }
                }}
            </Show>
        }
    });
    for round in 0..100 {
        which.set(round);
        visible.set(true);
        leptos::task::tick().await;
        assert_eq!(
            FrameLoop::live_owned_by(SEED),
            1,
            "round {round}: one frame loop"
        );
        assert_eq!(
            live_watches_owned_by(SEED),
            1,
            "round {round}: one visibility watch"
        );
        let name = WIDGETS.get(round % WIDGETS.len()).map_or("", |w| w.name);
        assert_eq!(
            count(&host, "[data-testid=embed-root]"),
            1,
            "round {round}: {name} mounted"
        );
        assert_eq!(
            count(&host, &format!("[data-testid={name}]")),
            1,
            "round {round}: the embed shows the {name} widget itself"
        );
        assert_eq!(
            count(&host, "[data-testid=crash-banner]"),
            0,
            "round {round}: {name} did not panic"
        );
        visible.set(false);
        leptos::task::tick().await;
    }
    assert_eq!(count(&host, "[data-testid=embed-root]"), 0);
    assert_eq!(
        FrameLoop::live_owned_by(SEED),
        0,
        "every frame loop was released"
    );
    assert_eq!(
        live_watches_owned_by(SEED),
        0,
        "every visibility watch was released"
    );
}

#[wasm_bindgen_test]
async fn hostile_url_values_render_as_text() {
    let host = host();
    let req = route::parse(
        "?widget=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&hz=%3Cb%3Ex%3C/b%3E&speed=%F0%9F%94%A5",
    );
    let _handle =
        leptos::mount::mount_to(host.clone(), move || view! { <Page request=req.clone() /> });
    leptos::task::tick().await;
    let note = text(&host, "shell-note").expect("a note");
    assert!(note.contains("<img src=x onerror=alert(1)>"), "{note}");
    assert!(note.contains("<b>x</b>"), "{note}");
    assert_eq!(count(&host, "img"), 0, "no element was made from the URL");
    assert_eq!(count(&host, "b"), 0);
}

#[wasm_bindgen_test]
async fn the_tour_walks_every_chapter_and_checks_answers() {
    let host = host();
    let _handle =
        leptos::mount::mount_to(host.clone(), || view! { <Page request=route::parse("") /> });
    leptos::task::tick().await;
    click(&host, "tour-start");
    leptos::task::tick().await;
    let chapters = redis_playground::tour::model::CHAPTERS;
    for (i, c) in chapters.iter().enumerate() {
        let title = text(&host, "tour-title").unwrap_or_default();
        assert_eq!(title, c.title, "chapter {i}");
        // The chapter opened its widget's tab.
        let selected = host
            .query_selector(&format!("[data-testid=tab-{}]", c.widget))
            .ok()
            .flatten()
            .and_then(|t| t.get_attribute("aria-selected"));
        assert_eq!(
            selected.as_deref(),
            Some("true"),
            "{} opens {}",
            c.id,
            c.widget
        );
        let wrong = (c.answer + 1) % c.choices.len();
        click(&host, &format!("tour-choice-{wrong}"));
        leptos::task::tick().await;
        assert!(text(&host, "tour-feedback")
            .unwrap_or_default()
            .starts_with("Not quite"));
        click(&host, &format!("tour-choice-{}", c.answer));
        leptos::task::tick().await;
        assert!(
            text(&host, "tour-feedback")
                .unwrap_or_default()
                .starts_with("Right."),
            "{}",
            c.id
        );
        click(&host, "tour-next");
        leptos::task::tick().await;
    }
    assert_eq!(
        count(&host, "[data-testid=tour-chapter]"),
        0,
        "Finish closes the tour"
    );
}

#[wasm_bindgen_test]
async fn the_settings_drawer_applies_and_clamps_with_a_note() {
    let host = host();
    let _handle =
        leptos::mount::mount_to(host.clone(), || view! { <Page request=route::parse("") /> });
    leptos::task::tick().await;
    click(&host, "settings-open");
    leptos::task::tick().await;
    set_value(&host, "set-PRODUCT_CACHE_TTL_SECONDS", "999999");
    leptos::task::tick().await;
    let status = text(&host, "settings-status").unwrap_or_default();
    assert_eq!(
        status,
        "PRODUCT_CACHE_TTL_SECONDS=999999 is out of range, so 86400 is used."
    );
    set_value(&host, "set-hz", "abc");
    leptos::task::tick().await;
    assert!(text(&host, "settings-status")
        .unwrap_or_default()
        .contains("not “abc”"));
    set_value(&host, "set-RATE_LIMIT_ALGORITHM", "gcra");
    leptos::task::tick().await;
    assert_eq!(
        text(&host, "settings-status").as_deref(),
        Some("RATE_LIMIT_ALGORITHM set to gcra.")
    );
    // Keyspace notifications: empty (none) says so; set, Redis's order
    // comes back; a letter the store does not know gets its own words.
    assert_eq!(
        attr(
            &host,
            "[data-testid=set-notify-keyspace-events]",
            "placeholder"
        )
        .as_deref(),
        Some("none, e.g. KEA")
    );
    set_value(&host, "set-notify-keyspace-events", "KEA");
    leptos::task::tick().await;
    wait_for(&host, "the field to show Redis's order", |h| {
        value(h, "set-notify-keyspace-events") == "AKE"
    })
    .await;
    set_value(&host, "set-notify-keyspace-events", "Kq");
    leptos::task::tick().await;
    assert!(
        text(&host, "settings-status")
            .unwrap_or_default()
            .contains("Invalid event class character"),
        "{:?}",
        text(&host, "settings-status")
    );
}

#[wasm_bindgen_test]
async fn arrow_keys_move_between_tabs() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("open=console") /> },
    );
    leptos::task::tick().await;
    let selected = |h: &web_sys::HtmlElement| {
        attr(h, "[role=tab][aria-selected=true]", "data-testid").unwrap_or_default()
    };
    assert_eq!(selected(&host), "tab-console");
    press(&host, "tab-console", "ArrowRight");
    leptos::task::tick().await;
    assert_eq!(selected(&host), "tab-cache-aside", "wraps to the first");
    press(&host, "tab-cache-aside", "ArrowLeft");
    leptos::task::tick().await;
    assert_eq!(selected(&host), "tab-console");
    press(&host, "tab-console", "Home");
    leptos::task::tick().await;
    assert_eq!(selected(&host), "tab-cache-aside");
    assert_eq!(
        count(&host, "[data-testid=cache-aside]"),
        1,
        "the panel follows"
    );
}

#[wasm_bindgen_test]
async fn the_address_bar_follows_settings_changed_outside_the_drawer() {
    // Other tests' pages share this window's URL; each only writes it when
    // its own settings change, which none does in this test's few frames.
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("open=rate-limit") /> },
    );
    leptos::task::tick().await;
    let search = || {
        web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default()
    };
    // The widget's own algorithm menu, then a CONFIG SET in the console.
    set_value(&host, "rl-algorithm", "gcra");
    wait_for(&host, "the URL to carry the algorithm", |_| {
        search().contains("RATE_LIMIT_ALGORITHM=gcra")
    })
    .await;
    click(&host, "tab-console");
    leptos::task::tick().await;
    set_value(&host, "console-input", "CONFIG SET hz 42");
    press(&host, "console-input", "Enter");
    wait_for(&host, "the URL to carry hz", |_| search().contains("hz=42")).await;
    // Back to the default: the parameter leaves the URL.
    set_value(&host, "console-input", "CONFIG SET hz 10");
    press(&host, "console-input", "Enter");
    wait_for(&host, "hz to leave the URL", |_| !search().contains("hz=")).await;
    // The time bar's speed menu: `speed` follows, and leaves at 1×.
    set_value(&host, "clock-speed", "5");
    wait_for(&host, "the URL to carry the speed", |_| {
        search().contains("speed=5")
    })
    .await;
    set_value(&host, "clock-speed", "1");
    wait_for(&host, "the speed to leave the URL", |_| {
        !search().contains("speed=")
    })
    .await;
}
