//! The Redis Patterns Playground's browser shell: a thin Leptos layer over
//! `playground-core`. Data flows one way: a click or a frame becomes an engine
//! call, the engine's state becomes signals, the signals become the view.

// A panic in wasm kills the page: outside tests, nothing may unwrap, expect,
// index or slice what a user can influence (clippy says where; the test
// command runs clippy on both libraries, native and wasm).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod app;
pub mod embed;
pub mod hooks;
pub mod icon;
pub mod panic_banner;
pub mod route;
pub mod save_file;
pub mod settings;
pub mod sim;
pub mod text;
pub mod theme;
pub mod tour;
pub mod widgets;

pub use app::App;

/// Installs the panic banner, then mounts a widget into each
/// `[data-playground]` element of an article page, or, on the playground's
/// own page (no such element), [`App`] on the body.
#[cfg(not(feature = "size-core"))]
pub fn start() {
    panic_banner::install();
    if embed::mount_all() == 0 {
        leptos::mount::mount_to_body(App);
    }
    // index.html's "Loading…" line, there until now (an article has none).
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("pg-loading"))
    {
        el.remove();
    }
    // Mounting is synchronous: the page is drawn. The first-render benchmark
    // reads this mark (time since navigation start).
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark("pg-first-render");
    }
}

/// Measuring only (`scripts/bundle-floor.sh`): the core behind the thinnest
/// Leptos page that reaches what the app reaches of it (store commands,
/// settings, API requests, the load generator): a box of lines and a Run
/// button. A lower bound for any page built on this core and Leptos.
#[cfg(feature = "size-core")]
pub fn start() {
    use leptos::prelude::*;
    use playground_core::{load::LoadGenerator, scenario, sim::Engine};
    leptos::mount::mount_to_body(|| {
        let (script, set_script) = signal(String::from("GET /products/1"));
        let (out, set_out) = signal(String::new());
        let run = move |_| {
            let mut engine = Engine::new(1);
            let mut text = String::new();
            for line in script.get().lines() {
                if let Some((name, value)) =
                    line.strip_prefix("ENV ").and_then(|l| l.split_once('='))
                {
                    if let Err(e) = scenario::apply_env(&mut engine, name, value) {
                        text.push_str(&e);
                    }
                } else if let Ok(request) = scenario::parse_request(line) {
                    engine.send(request);
                    engine.run_until_idle();
                    for done in engine.take_completed() {
                        text.push_str(&format!(
                            "{} {}\n",
                            done.response.status, done.response.body
                        ));
                    }
                } else if let Some(reply) = engine.console_line(line) {
                    text.push_str(&reply);
                }
            }
            let mut load = LoadGenerator::new(Default::default(), 1, 0);
            load.run_until(&mut engine, 10_000);
            let served: u64 = load.series().iter().map(|s| s.requests).sum();
            set_out.set(format!("{text}{served} requests"));
        };
        view! {
            <textarea prop:value=script on:input=move |e| set_script.set(event_target_value(&e))></textarea>
            <button on:click=run>"Run"</button>
            <pre>{out}</pre>
        }
    });
}
