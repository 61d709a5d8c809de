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
pub fn start() {
    panic_banner::install();
    if embed::mount_all() == 0 {
        leptos::mount::mount_to_body(App);
    }
    // Mounting is synchronous: the page is drawn. The first-render benchmark
    // reads this mark (time since navigation start).
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark("pg-first-render");
    }
}
