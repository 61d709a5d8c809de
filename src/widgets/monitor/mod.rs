//! The MONITOR side view: every command the store ran, newest first, with
//! who sent it (`#<request>` or `console`), and the INFO fields that tell
//! the story of the patterns (hits, misses, expiries, evictions, memory).
//! Rebuilt at most four times a second of real time while the clock runs:
//! under load the store runs thousands of commands a second.

pub mod model;

use crate::hooks::effect;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::sim::throttle::{throttled, Throttle};
use crate::sim::use_sim;
use crate::widgets::keyspace::model::thousands;
use model::{Cleared, Row, FIELDS, LOG_FILE_NAME, ROWS};

/// Commands named in the "most called" line.
const TOP: usize = 4;

#[component]
pub fn Monitor(
    /// Tighter layout for a side column or an iframe.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let sim = use_sim();
    let throttle = StoredValue::new_local(Throttle::every(290.0));
    let rows = RwSignal::new(Vec::<Row>::new());
    let info = RwSignal::new(Vec::<(&'static str, String)>::new());
    // INFO commandstats's most called commands, one line.
    let top = RwSignal::new(String::new());
    let total = RwSignal::new(0u64);
    let paused = RwSignal::new(false);
    // Clear: where the feed stood then (the store's log itself is
    // untouched, as a MONITOR client's screen is not the server), and the
    // position the view starts from now (0 again after a Reset).
    let cleared = StoredValue::new_local(Cleared::default());
    let since = RwSignal::new(0u64);
    // The saved log's blob URL, freed when a newer one replaces it or the
    // view goes away.
    let file_url = StoredValue::new_local(None::<String>);
    let save_error = RwSignal::new(None::<String>);
    on_cleanup(move || {
        if let Some(Some(url)) = file_url.try_get_value() {
            crate::save_file::revoke(&url);
        }
    });

    let rebuild = move |force: bool| {
        if !throttled(sim, throttle, force) {
            return;
        }
        let hold = paused.try_get_untracked().unwrap_or(true);
        let seen = total.try_get_untracked().unwrap_or(0);
        let cleared = cleared.try_get_value().unwrap_or_default();
        let Some((n, from, new_rows, new_info, new_top)) = sim.with(|st| {
            let now = st.engine.now();
            let from = cleared.start(st.generation);
            st.engine.with_store(|s| {
                let n = s.monitor().total();
                let r = (!hold && (n != seen || force)).then(|| model::rows(s, from, ROWS));
                (n, from, r, model::info(s, now), model::top_commands(s, TOP))
            })
        }) else {
            return;
        };
        if since.try_get_untracked().is_some_and(|f| f != from) {
            since.try_set(from);
        }
        if top.try_with_untracked(|t| *t != new_top) == Some(true) {
            top.try_set(new_top);
        }
        if let Some(r) = new_rows {
            total.try_set(n);
            rows.try_set(r);
        }
        if info.try_with_untracked(|i| *i != new_info) == Some(true) {
            info.try_set(new_info);
        }
    };
    effect(move || {
        sim.version.track();
        sim.running.track();
        sim.suspended.track();
        rebuild(false);
    });

    let toggle = move |_| {
        paused.update(|p| *p = !*p);
        rebuild(true);
    };
    let clear = move |_| {
        if let Some(now) = sim.with(|st| Cleared {
            generation: st.generation,
            at: st.engine.with_store(|s| s.monitor().total()),
        }) {
            cleared.set_value(now);
            since.set(now.at);
        }
        rebuild(true);
    };
    // The link's URL is made as it is followed: the file holds the log as
    // it is at that moment, not as it was when the view was drawn.
    let save = move |ev: web_sys::MouseEvent| {
        let cleared = cleared.get_value();
        let text = sim
            .with(|st| {
                let from = cleared.start(st.generation);
                st.engine.with_store(|s| model::log_file(s, from))
            })
            .unwrap_or_default();
        let link = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        match (crate::save_file::text_url(&text), link) {
            (Ok(url), Some(link)) => {
                if let Some(Some(old)) = file_url.try_get_value() {
                    crate::save_file::revoke(&old);
                }
                let _ = link.set_attribute("href", &url);
                file_url.set_value(Some(url));
                save_error.set(None);
            }
            (Err(why), _) => {
                ev.prevent_default();
                save_error.set(Some(format!("The browser could not make the file: {why}")));
            }
            (_, None) => ev.prevent_default(),
        }
    };
    let class = if compact {
        "pg-mon pg-mon--compact"
    } else {
        "pg-mon"
    };
    view! {
        <section class=class data-testid="monitor" aria-label="MONITOR and INFO">
            <header class="pg-mon__head">
                <h2 class="pg-mon__title">"MONITOR"</h2>
                <div class="pg-mon__tools">
                    <button
                        class="pg-btn pg-mon__tool pg-mon__pause"
                        data-testid="mon-pause"
                        aria-pressed=move || paused.get().to_string()
                        on:click=toggle
                    >
                        {move || if paused.get() { "Resume" } else { "Pause" }}
                    </button>
                    <button
                        class="pg-btn pg-mon__tool"
                        data-testid="mon-clear"
                        title="Show only the commands from now on (the store keeps its log)"
                        on:click=clear
                    >
                        "Clear"
                    </button>
                    <a
                        class="pg-btn pg-mon__tool"
                        data-testid="mon-save"
                        href="#"
                        download=LOG_FILE_NAME
                        title="The commands since the last Clear (the newest 2,000 at most), as redis-cli MONITOR prints them"
                        on:click=save
                    >
                        "Save log"
                    </a>
                </div>
            </header>
            {move || save_error.get().map(|e| view! {
                <p class="pg-bad" role="alert" data-testid="mon-save-error">{e}</p>
            })}
            <table class="pg-mon__info" data-testid="mon-info">
                <caption class="pg-mon__caption">"INFO"</caption>
                <tbody>
                    {FIELDS
                        .iter()
                        .enumerate()
                        .map(|(i, (_, field))| {
                            let value = move || info.with(|v| v.get(i).map(|(_, x)| x.clone()));
                            view! {
                                <tr>
                                    <th scope="row"><code>{*field}</code></th>
                                    <td data-testid=format!("mon-info-{field}")>{value}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            {move || top.with(|t| (!t.is_empty()).then(|| view! {
                <p class="pg-mon__top" data-testid="mon-top">
                    <span class="pg-muted">"Most called ("<code>"INFO commandstats"</code>"): "</span>
                    {t.clone()}
                </p>
            }))}
            <p class="pg-mon__total pg-muted" data-testid="mon-total">
                {move || {
                    let from = since.get();
                    let n = total.get().saturating_sub(from);
                    let shown = n.min(ROWS as u64);
                    format!(
                        "{} command{}{} · newest {} shown{}",
                        thousands(n as usize),
                        if n == 1 { "" } else { "s" },
                        if from > 0 { " since Clear" } else { "" },
                        shown,
                        if paused.get() { " · paused" } else { "" }
                    )
                }}
            </p>
            <ol class="pg-mon__log" aria-label="Commands, newest first" tabindex="0">
                <For each=move || rows.get() key=|r| r.seq let:r>
                    <li class="pg-mon__row" data-testid="mon-row">
                        <span class="pg-mon__time">{r.time}</span>
                        <span class="pg-mon__who">{format!("[{}]", r.origin)}</span>
                        <code class="pg-mon__line">{r.line}</code>
                        {r.admin.then(|| view! {
                            <span
                                class="pg-mon__admin"
                                data-testid="mon-admin"
                                title="An admin command: a real Redis MONITOR does not show it; the playground does, so you see what changed."
                            >
                                "admin · hidden by Redis"
                            </span>
                        })}
                    </li>
                </For>
            </ol>
        </section>
    }
}
