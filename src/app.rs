//! The page: either the playground shell around every widget, or one widget
//! alone for an iframe, as the URL asks (see `route`).

use leptos::prelude::*;

use crate::route::{self, Mode, PageRequest};
use crate::widgets::cache_aside::CacheAside;

#[component]
pub fn App() -> impl IntoView {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    Page(PageProps {
        request: route::parse(&search),
    })
}

/// The page for a parsed URL (separate from [`App`] so tests can render any).
#[component]
pub fn Page(request: PageRequest) -> impl IntoView {
    let PageRequest {
        mode,
        ttl_seconds,
        notes,
    } = request;
    match mode {
        Mode::Embed(_) => view! {
            <main class="pg-embed" data-testid="embed-root">
                <Notes notes=notes testid="embed-note" />
                <CacheAside ttl_seconds=ttl_seconds compact=true />
            </main>
        }
        .into_any(),
        Mode::Shell => view! {
            <div class="pg-shell" data-testid="shell">
                <header class="pg-shell__header">
                    <h1 class="pg-shell__title">"Redis Patterns Playground"</h1>
                    <p class="pg-shell__tagline">
                        "A Redis-like store, a slow database and an API, simulated in your browser on a virtual clock. "
                        "Click, watch every command, break things."
                    </p>
                </header>
                <Notes notes=notes testid="shell-note" />
                <main class="pg-shell__main">
                    <CacheAside ttl_seconds=ttl_seconds />
                </main>
                <footer class="pg-shell__footer">
                    <p>
                        "Embed one widget: "<code>"?widget=cache-aside"</code>" · set the TTL: "<code>"?ttl=30"</code>
                    </p>
                </footer>
            </div>
        }
        .into_any(),
    }
}

/// URL values that were ignored or clamped, said plainly on the page.
#[component]
fn Notes(notes: Vec<String>, testid: &'static str) -> impl IntoView {
    (!notes.is_empty()).then(|| {
        view! {
            <div class="pg-note" role="status" data-testid=testid>
                {notes.into_iter().map(|n| view! { <p>{n}</p> }).collect_view()}
            </div>
        }
    })
}
