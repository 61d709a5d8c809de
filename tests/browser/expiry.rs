//! The expiry widget on its own simulation, at 50×: keys expire, linger
//! as ghosts, and the active cycle reclaims them; settings go through
//! CONFIG SET, which the store's MONITOR feed shows.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use redis_playground::sim::{provide_sim, Sim};
use redis_playground::widgets::clock_controls::ClockControls;
use redis_playground::widgets::expiry::Expiry;
use wasm_bindgen_test::*;

use crate::util::*;

/// Mounts the widget with a simulation the test can read (MONITOR).
fn mount() -> (web_sys::HtmlElement, Sim) {
    let host = overlay_host();
    let slot: Rc<Cell<Option<Sim>>> = Rc::new(Cell::new(None));
    let out = Rc::clone(&slot);
    let handle = leptos::mount::mount_to(host.clone(), move || {
        let sim = provide_sim(7);
        out.set(Some(sim));
        view! {
            <ClockControls sim=sim />
            <Expiry />
        }
    });
    std::mem::forget(handle);
    let sim = slot.get().expect("the simulation");
    (host, sim)
}

fn monitor_has(sim: &Sim, line: &str) -> bool {
    sim.with(|s| {
        s.engine
            .with_store(|st| st.monitor().entries().any(|e| e.command_line() == line))
    })
    .unwrap_or(false)
}

#[wasm_bindgen_test]
async fn ghosts_appear_then_cycles_reclaim_them_and_classic_mode_is_a_config_set() {
    let (host, sim) = mount();
    leptos::task::tick().await;
    // One cron tick a second, so the expired keys linger long enough to see.
    set_value(&host, "ex-hz", "1");
    leptos::task::tick().await;
    assert!(
        text(&host, "ex-note").is_some_and(|n| n.contains("CONFIG SET hz 1 → OK")),
        "{:?}",
        text(&host, "ex-note")
    );
    assert!(monitor_has(&sim, "CONFIG SET hz 1"));
    // A bad value is clamped, and says so.
    set_value(&host, "ex-effort", "42");
    leptos::task::tick().await;
    let note = text(&host, "ex-note").unwrap_or_default();
    assert!(
        note.contains("must be 1–10") && note.contains("CONFIG SET active-expire-effort 10"),
        "{note}"
    );
    assert_eq!(
        sim.with(|s| s.engine.with_store(|st| st.config.active_expire_effort)),
        Some(10)
    );

    click(&host, "ex-add-200");
    leptos::task::tick().await;
    assert_eq!(count(&host, "[data-testid=ex-cell]"), 200);
    assert_eq!(
        sim.with(|s| s.engine.with_store(|st| st
            .monitor()
            .entries()
            .any(|e| e.command_line().starts_with("SET exp:1 x PX ")))),
        Some(true)
    );
    sim.speed.set(50.0);

    wait_for(&host, "ghosts: expired keys still in the keyspace", |h| {
        num(h, "ex-ghosts").is_some_and(|g| g > 0)
            && count(h, "[data-testid=ex-cell][data-state=ghost]") > 0
    })
    .await;
    wait_for(&host, "every key reclaimed", |h| {
        num(h, "ex-live") == Some(0) && num(h, "ex-ghosts") == Some(0)
    })
    .await;
    assert_eq!(
        count(&host, "[data-testid=ex-cell][data-state=reclaimed-active]"),
        200,
        "all by the active cycle"
    );
    let stale = text(&host, "ex-stale").unwrap_or_default();
    assert!(stale.ends_with('%') && stale != "0.00%", "{stale}");
    let cycle = text(&host, "ex-cycle").unwrap_or_default();
    assert!(
        cycle.contains(" cycle at ") && cycle.contains(" sampled "),
        "{cycle}"
    );

    set_value(&host, "ex-mode", "classic");
    leptos::task::tick().await;
    assert!(monitor_has(&sim, "CONFIG SET expire-mode classic"));
    assert_eq!(
        sim.with(|s| s.engine.with_store(|st| st.config.expire_mode)),
        Some(playground_core::store::ExpireMode::Classic)
    );
    click(&host, "ex-add-200");
    wait_for(&host, "classic cycles reclaim them too", |h| {
        num(h, "ex-live") == Some(0) && num(h, "ex-ghosts") == Some(0)
    })
    .await;
    sim.running.set(false);
    host.remove();
}
#[wasm_bindgen_test]
async fn a_get_on_a_ghost_deletes_it_passively() {
    let (host, sim) = mount();
    leptos::task::tick().await;
    // No active cycle: expired keys stay until touched.
    sim.update(|s| s.engine.console_line("DEBUG SET-ACTIVE-EXPIRE 0"));
    click(&host, "ex-add-200");
    sim.speed.set(50.0);
    wait_for(&host, "ghosts", |h| {
        num(h, "ex-ghosts").is_some_and(|g| g > 0)
    })
    .await;
    click(&host, "ex-touch");
    leptos::task::tick().await;
    assert!(
        text(&host, "ex-reclaimed").is_some_and(|t| t.ends_with("/ 1")),
        "{:?}",
        text(&host, "ex-reclaimed")
    );
    assert_eq!(
        count(&host, "[data-testid=ex-cell][data-state=reclaimed-passive]"),
        1
    );
    assert!(text(&host, "ex-announce").is_some_and(|t| t.contains("passive expiry")));
    sim.running.set(false);
    host.remove();
}
