//! The key inspector's view: one key in full (facts, value, its latest
//! commands) and buttons that change it. The model, tested natively, is in
//! [`model`]; the keyspace view rebuilds [`Detail`] with its own throttle.

pub mod model;

use leptos::prelude::*;

use super::model::{escape, thousands};
use crate::sim::use_sim;
use model::{Action, Contents, Detail};

/// One key in full, and what can be done to it. Stays in the page (hidden)
/// so opening it can move focus to it at once.
#[component]
pub fn Inspector(
    selected: RwSignal<Option<Vec<u8>>>,
    detail: RwSignal<Option<Detail>>,
    /// Rebuild the view now: the selection or the key changed.
    on_change: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let sim = use_sim();
    let panel = NodeRef::<leptos::html::Section>::new();
    let seconds = RwSignal::new("10".to_string());
    let result = RwSignal::new(String::new());
    // A new key opened: show it, forget the last answer, move focus to it.
    Effect::new(move |prev: Option<Option<Vec<u8>>>| {
        let now = selected.get();
        if prev.as_ref() != Some(&now) {
            result.set(String::new());
            on_change();
            if now.is_some() {
                request_animation_frame(move || {
                    // The frame may come after the view is gone.
                    if let Some(Some(el)) = panel.try_get_untracked() {
                        let _ = el.focus();
                    }
                });
            }
        }
        now
    });
    let act = move |action: Action| {
        let Some(key) = selected.get_untracked() else {
            return;
        };
        let secs = seconds.get_untracked();
        if let Some(line) = sim.update(|st| model::run(st, &key, action, &secs)) {
            result.set(line);
        }
        on_change();
    };
    // Focus goes back where the reader came from: the open key's name in
    // the list (or the list itself), not to the page's start, which is
    // where it would fall when the focused panel hides.
    let close = move || {
        use wasm_bindgen::JsCast;
        if let Some(Some(el)) = panel.try_get_untracked() {
            let back = el.closest(".pg-ks").ok().flatten().and_then(|ks| {
                ks.query_selector(".pg-ks__row--open [data-testid=ks-open]")
                    .ok()
                    .flatten()
                    .or_else(|| ks.query_selector("[data-testid=ks-list]").ok().flatten())
            });
            if let Some(back) = back.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = back.focus();
            }
        }
        selected.set(None);
    };
    let facts = move |d: Detail| {
        let list = d
            .facts()
            .into_iter()
            .map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
            .collect_view();
        let contents = match d.contents {
            Contents::Text(t) => view! {
                <pre class="pg-ks__text" data-testid="ks-insp-value">{t}</pre>
            }
            .into_any(),
            Contents::Table { head, rows, more } => {
                let more = (more > 0).then(|| {
                    view! { <p class="pg-muted">{format!("… and {} more", thousands(more))}</p> }
                });
                view! {
                    <div class="pg-ks__table-wrap">
                        <table class="pg-ks__table" data-testid="ks-insp-value">
                            <thead><tr>
                                {(!head.0.is_empty()).then(|| view! { <th scope="col">{head.0}</th> })}
                                <th scope="col">{head.1}</th>
                            </tr></thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|(a, b)| {
                                        let a = (!head.0.is_empty()).then(|| view! { <td>{a}</td> });
                                        view! { <tr>{a}<td>{b}</td></tr> }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {more}
                }
                .into_any()
            }
        };
        let ghost = d.ghost.then(|| {
            view! {
                <p class="pg-ks__insp-ghost">
                    "Expired, still in memory: Redis reclaims it when something touches it (try EXISTS) or the active cycle samples it."
                </p>
            }
        });
        view! {
            <dl class="pg-ks__facts" data-testid="ks-insp-facts">{list}</dl>
            {ghost}
            {contents}
            <h3 class="pg-ks__hist-title">"Latest commands naming it"</h3>
            {if d.history.is_empty() {
                view! {
                    <p class="pg-muted">
                        {format!(
                            "None among the newest {} commands.",
                            thousands(playground_core::store::MONITOR_CAPACITY),
                        )}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ol class="pg-ks__hist" data-testid="ks-insp-history">
                        {d
                            .history
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <li>
                                        <span class="pg-muted">{r.time}</span>
                                        " "
                                        <span class="pg-ks__hist-who">{format!("[{}]", r.origin)}</span>
                                        " "
                                        <code>{r.line}</code>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        }
    };
    view! {
        <section
            class="pg-ks__insp"
            data-testid="ks-inspector"
            aria-label="Key inspector"
            tabindex="-1"
            node_ref=panel
            hidden=move || selected.with(Option::is_none)
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    close();
                }
            }
        >
            <header class="pg-ks__insp-head">
                <code class="pg-ks__insp-key" data-testid="ks-insp-key">
                    {move || detail.with(|d| d.as_ref().map(|d| d.key.clone())).unwrap_or_else(|| {
                        selected.with(|s| s.as_deref().map(|k| escape(k, model::NAME_CHARS)).unwrap_or_default())
                    })}
                </code>
                <button type="button" class="pg-btn" data-testid="ks-insp-close" on:click=move |_| close()>
                    "Close"
                </button>
            </header>
            {move || match detail.get() {
                Some(d) => facts(d).into_any(),
                None => view! {
                    <p class="pg-muted" data-testid="ks-insp-gone">
                        "Not in memory: deleted, reclaimed after its TTL, or evicted. It shows again if something writes it."
                    </p>
                }
                .into_any(),
            }}
            <div class="pg-ks__actions">
                {[
                    (Action::Delete, "Delete (DEL)", "ks-insp-del"),
                    (Action::Persist, "Keep (PERSIST)", "ks-insp-persist"),
                    (Action::Touch, "Touch (EXISTS)", "ks-insp-touch"),
                ]
                    .map(|(action, label, id)| {
                        view! {
                            <button type="button" class="pg-btn" data-testid=id on:click=move |_| act(action)>{label}</button>
                        }
                    })}
                <span class="pg-ks__expire">
                    <button type="button" class="pg-btn" data-testid="ks-insp-expire" on:click=move |_| act(Action::Expire)>"EXPIRE"</button>
                    <input
                        type="text"
                        inputmode="numeric"
                        aria-label="Seconds for EXPIRE"
                        data-testid="ks-insp-seconds"
                        prop:value=move || seconds.get()
                        on:input=move |ev| seconds.set(event_target_value(&ev))
                    />
                    <span class="pg-muted">"s"</span>
                </span>
            </div>
            <p class="pg-ks__insp-result" data-testid="ks-insp-result" aria-live="polite">{move || result.get()}</p>
        </section>
    }
}
