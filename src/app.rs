//! The page: the playground shell (a time bar, a tab per widget, the
//! keyspace and MONITOR beside them, all on one shared simulation), or one
//! widget alone for an iframe or a `data-playground` mount (see `route`).

use crate::hooks::effect;
use leptos::prelude::*;
use playground_core::api::Settings;

use crate::embed::Embedded;
use crate::hooks::use_pause_when_hidden;
use crate::route::{self, Mode, PageRequest};
use crate::settings::model::Applied;
use crate::settings::SettingsDrawer;
use crate::sim::{provide_sim, Sim};
use crate::theme::ThemeToggle;
use crate::tour::Tour;
use crate::widgets::clock_controls::ClockControls;
use crate::widgets::keyspace::StartFilter;
use crate::widgets::registry::{self, WIDGETS};

#[component]
pub fn App() -> impl IntoView {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    Page(PageProps {
        request: route::parse(&search),
    })
}

/// Applies what the URL asked for to a new simulation; returns the notes
/// to show (the URL's own, and any setting that was clamped or refused).
pub fn configure(sim: Sim, request: &PageRequest) -> Vec<String> {
    let ttl = request.ttl_seconds;
    sim.speed.set(request.speed);
    sim.update(|s| {
        let settings = Settings {
            product_cache_ttl_seconds: ttl,
            ..s.engine.settings()
        };
        s.engine.set_settings(settings);
    });
    let mut notes = request.notes.clone();
    for (name, raw) in &request.settings {
        let Some(f) = crate::settings::model::field(name) else {
            continue;
        };
        match sim.update(|s| crate::settings::model::apply(s, f, raw)) {
            Some(Applied::Clamped(_, note)) | Some(Applied::Refused(note)) => notes.push(note),
            _ => {}
        }
    }
    // After the settings: a link's commands see the page as it set it up.
    notes.extend(crate::widgets::console::run_at_start(sim, &request.run));
    notes
}

/// The page for a parsed URL (separate from [`App`] so tests can render any).
#[component]
pub fn Page(request: PageRequest) -> impl IntoView {
    crate::theme::apply(request.theme);
    match request.mode {
        Mode::Embed(name) => view! { <Embedded name=name request=request.clone() /> }.into_any(),
        Mode::Shell => view! { <Shell request=request /> }.into_any(),
    }
}

/// Keeps the address bar's settings equal to the simulation's, whoever
/// changed them (the drawer, a widget's own controls, a CONFIG SET typed in
/// the console, the tour), so a copied link always reproduces the page. A
/// frame compares the settings and the config with the ones last written, in
/// place; they are copied and the URL rewritten only when they changed.
fn follow_settings_in_url(sim: Sim) {
    let seen = StoredValue::new_local(None);
    let defaults = StoredValue::new_local(crate::settings::model::defaults());
    effect(move || {
        sim.version.track();
        let changed = sim.with(|st| {
            let settings = st.engine.settings();
            let same = seen.try_with_value(|s| {
                s.as_ref().is_some_and(|(set, cfg)| {
                    *set == settings && st.engine.with_store(|s| s.config == *cfg)
                })
            });
            (same == Some(false)).then(|| {
                let config = st.engine.with_store(|s| s.config.clone());
                let params = defaults
                    .try_with_value(|d| crate::settings::model::url_params(st, d))
                    .unwrap_or_default();
                (settings, config, params)
            })
        });
        if let Some(Some((settings, config, params))) = changed {
            seen.try_set_value(Some((settings, config)));
            route::replace_params(&params);
        }
    });
}

/// Keeps the address bar's `seed` and `speed` equal to the run's (see
/// [`route::clock_params`]): the time bar's speed menu rewrites `speed`.
fn follow_clock_in_url(sim: Sim, seed: u64) {
    effect(move || {
        let Some(speed) = sim.speed.try_get() else {
            return;
        };
        route::replace_params(&route::clock_params(seed, speed));
    });
}

#[component]
fn Shell(request: PageRequest) -> impl IntoView {
    let sim = provide_sim(request.seed);
    crate::widgets::console::provide_console_memory();
    provide_context(StartFilter {
        pattern: request.keys_match.clone(),
        kind: request.keys_type,
        in_url: true,
    });
    let notes = configure(sim, &request);
    follow_settings_in_url(sim);
    follow_clock_in_url(sim, request.seed);
    let root = NodeRef::<leptos::html::Div>::new();
    use_pause_when_hidden(root, sim.suspended, request.seed);
    let open = RwSignal::new(request.open);
    let select = move |name: &'static str| {
        open.set(name);
        route::replace_param("open", name);
    };
    // The ARIA tabs pattern: arrows, Home and End move between tabs (one
    // Tab stop for the whole list).
    let on_tab_key = move |ev: web_sys::KeyboardEvent| {
        let tabs: Vec<&'static str> = WIDGETS.iter().filter(|w| !w.side).map(|w| w.name).collect();
        let Some(at) = tabs.iter().position(|n| *n == open.get_untracked()) else {
            return;
        };
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" => (at + 1) % tabs.len(),
            "ArrowLeft" | "ArrowUp" => (at + tabs.len() - 1) % tabs.len(),
            "Home" => 0,
            "End" => tabs.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        if let Some(name) = tabs.get(next) {
            select(name);
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("pg-tab-{name}")))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = el.focus();
            }
        }
    };
    view! {
        <div class="pg-shell" data-testid="shell" node_ref=root>
            <header class="pg-shell__header">
                <div>
                    <h1 class="pg-shell__title">"Redis Patterns Playground"</h1>
                    <p class="pg-shell__tagline">
                        "A Redis-like store, a slow database and an API, simulated in your browser on a virtual clock. "
                        "Click, watch every command, break things."
                    </p>
                </div>
                <ThemeToggle />
            </header>
            <Notes notes=notes testid="shell-note" />
            <div class="pg-shell__bar">
                <ClockControls sim=sim />
                <SettingsDrawer sim=sim />
            </div>
            <Tour sim=sim open=open />
            <nav class="pg-tabs" aria-label="Widgets">
                <ul role="tablist" class="pg-tabs__list" on:keydown=on_tab_key>
                    {WIDGETS
                        .iter()
                        .filter(|w| !w.side)
                        .map(|w| {
                            let name = w.name;
                            view! {
                                <li role="presentation">
                                    <button
                                        role="tab"
                                        class="pg-tabs__tab"
                                        id=format!("pg-tab-{name}")
                                        data-testid=format!("tab-{name}")
                                        aria-selected=move || (open.get() == name).to_string()
                                        tabindex=move || if open.get() == name { "0" } else { "-1" }
                                        aria-controls="pg-tabpanel"
                                        title=w.blurb
                                        on:click=move |_| select(name)
                                    >
                                        {w.title}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <div class="pg-shell__layout">
                <main
                    class="pg-shell__main"
                    id="pg-tabpanel"
                    role="tabpanel"
                    aria-labelledby=move || format!("pg-tab-{}", open.get())
                >
                    {move || registry::render(open.get(), false)}
                </main>
                <aside class="pg-shell__side" aria-label="Inside the store">
                    {WIDGETS
                        .iter()
                        .filter(|w| w.side)
                        .map(|w| registry::render(w.name, true))
                        .collect_view()}
                </aside>
            </div>
            <footer class="pg-shell__footer">
                <p>
                    "Embed one widget: "<code>"?widget=expiry"</code>" · share this view: the address bar keeps the open tab"
                </p>
            </footer>
        </div>
    }
}

/// URL values that were ignored or clamped, said plainly on the page.
#[component]
pub fn Notes(notes: Vec<String>, testid: &'static str) -> impl IntoView {
    (!notes.is_empty()).then(|| {
        view! {
            <div class="pg-note" role="status" data-testid=testid>
                {notes.into_iter().map(|n| view! { <p>{n}</p> }).collect_view()}
            </div>
        }
    })
}
