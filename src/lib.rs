//! The Redis Patterns Playground's browser shell: a thin Leptos layer over
//! `playground-core`. Data flows one way: a click or a frame becomes an engine
//! call, the engine's state becomes signals, the signals become the view.

pub mod app;
pub mod hooks;
pub mod panic_banner;
pub mod route;
pub mod widgets;

pub use app::App;

/// Installs the panic banner and mounts [`App`] on the page body.
pub fn start() {
    panic_banner::install();
    leptos::mount::mount_to_body(App);
}
