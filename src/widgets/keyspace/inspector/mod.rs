//! The key inspector's view: one key in full (facts, value, its latest
//! commands) and buttons that change it. The model, tested natively, is in
//! [`model`]; the keyspace view rebuilds [`Detail`] with its own throttle.

pub mod model;

use leptos::prelude::*;

use super::model::{escape, thousands};
use crate::sim::use_sim;
use model::{add_command, add_inputs, Action, Contents, Detail, Edit};

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
    // The editors' inputs: a string's new value, the two Add inputs, the
    // new name. They live outside the throttled detail view, so a refresh
    // while the reader types does not rebuild them.
    let new_value = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let second = RwSignal::new(String::new());
    let new_name = RwSignal::new(String::new());
    // Set by a rename that worked: the selection follows the key to its
    // new name, and the answer and the focus stay where they are.
    let renamed = StoredValue::new(false);
    // Only the type decides which editor shows; it changes rarely.
    let kind = Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.kind)));
    // A new key opened: show it, forget the last answer, move focus to it.
    Effect::new(move |prev: Option<Option<Vec<u8>>>| {
        let now = selected.get();
        if prev.as_ref() != Some(&now) {
            let followed = renamed.get_value();
            renamed.set_value(false);
            let name = now.as_deref().and_then(|k| std::str::from_utf8(k).ok());
            new_name.set(name.unwrap_or_default().to_string());
            if !followed {
                result.set(String::new());
            }
            on_change();
            if now.is_some() && !followed {
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
    // The editor is a reactive view, which must be Send: it reaches the
    // (local, not Send) callback through a stored handle.
    let notify = StoredValue::new_local(on_change);
    let edit = move |e: Edit| {
        let (Some(key), Some(k)) = (selected.get_untracked(), kind.get_untracked()) else {
            return;
        };
        let Some((line, ok)) = sim.update(|st| model::run_edit(st, k, &key, &e)).flatten() else {
            return;
        };
        result.set(line);
        if ok {
            match e {
                Edit::Rename(to) => {
                    renamed.set_value(true);
                    selected.set(Some(to.into_bytes()));
                }
                Edit::Add(..) => {
                    first.set(String::new());
                    second.set(String::new());
                }
                Edit::Replace(_) => new_value.set(String::new()),
                Edit::Remove(_) | Edit::PopHead => {}
            }
        }
        notify.with_value(|f| f());
    };
    // Redis Insight's editors, one per type: a string is replaced whole
    // (its TTL kept), a collection gets an Add form and Remove buttons.
    let editor = move || {
        kind.get().map(|k| match add_inputs(k) {
            None => view! {
                <div class="pg-ks__edit" data-testid="ks-insp-editor">
                    <label class="pg-ks__edit-field pg-ks__edit-field--wide">
                        <span class="pg-muted">"New value (as typed, no quoting)"</span>
                        <textarea
                            rows="2"
                            data-testid="ks-insp-new-value"
                            prop:value=move || new_value.get()
                            on:input=move |ev| new_value.set(event_target_value(&ev))
                        ></textarea>
                    </label>
                    <button type="button" class="pg-btn" data-testid="ks-insp-replace"
                        on:click=move |_| edit(Edit::Replace(new_value.get_untracked()))>
                        "SET … KEEPTTL"
                    </button>
                </div>
            }
            .into_any(),
            Some((label1, label2)) => view! {
                <div class="pg-ks__edit" data-testid="ks-insp-editor">
                    <label class="pg-ks__edit-field">
                        <span class="pg-muted">{label1}</span>
                        <input type="text" data-testid="ks-insp-add-1"
                            prop:value=move || first.get()
                            on:input=move |ev| first.set(event_target_value(&ev)) />
                    </label>
                    {label2.map(|label2| view! {
                        <label class="pg-ks__edit-field">
                            <span class="pg-muted">{label2}</span>
                            <input type="text" data-testid="ks-insp-add-2"
                                prop:value=move || second.get()
                                on:input=move |ev| second.set(event_target_value(&ev)) />
                        </label>
                    })}
                    <button type="button" class="pg-btn" data-testid="ks-insp-add"
                        on:click=move |_| edit(Edit::Add(first.get_untracked(), second.get_untracked()))>
                        {add_command(k)}
                    </button>
                    {(k == "list").then(|| view! {
                        <button type="button" class="pg-btn" data-testid="ks-insp-lpop"
                            on:click=move |_| edit(Edit::PopHead)>"LPOP"</button>
                    })}
                </div>
            }
            .into_any(),
        })
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
            Contents::Table {
                head,
                rows,
                names,
                more,
            } => {
                let more = (more > 0).then(|| {
                    view! { <p class="pg-muted">{format!("… and {} more", thousands(more))}</p> }
                });
                let remove = model::remove_command(d.kind).unwrap_or_default();
                let removable = !names.is_empty();
                let mut names = names.into_iter();
                view! {
                    <div class="pg-ks__table-wrap">
                        <table class="pg-ks__table" data-testid="ks-insp-value">
                            <thead><tr>
                                {(!head.0.is_empty()).then(|| view! { <th scope="col">{head.0}</th> })}
                                <th scope="col">{head.1}</th>
                                {removable.then(|| view! { <th scope="col"><span class="pg-sr-only">"Remove"</span></th> })}
                            </tr></thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|(a, b)| {
                                        let label = format!("{remove} {}", if head.0.is_empty() { &b } else { &a });
                                        let a = (!head.0.is_empty()).then(|| view! { <td>{a}</td> });
                                        let button = names.next().map(|name| view! {
                                            <td class="pg-ks__rm">
                                                <button type="button" class="pg-btn" data-testid="ks-insp-remove"
                                                    aria-label=label
                                                    on:click=move |_| edit(Edit::Remove(name.clone()))>{remove}</button>
                                            </td>
                                        });
                                        view! { <tr>{a}<td>{b}</td>{button}</tr> }
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
        }
    };
    // The key's latest commands, below the editors and buttons that add to
    // them.
    let history = move |d: Detail| {
        view! {
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
            {editor}
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
                <span class="pg-ks__rename">
                    <button type="button" class="pg-btn" data-testid="ks-insp-rename"
                        on:click=move |_| edit(Edit::Rename(new_name.get_untracked()))>"RENAME"</button>
                    <input
                        type="text"
                        class="pg-ks__name-input"
                        aria-label="New name for RENAME"
                        data-testid="ks-insp-new-name"
                        prop:value=move || new_name.get()
                        on:input=move |ev| new_name.set(event_target_value(&ev))
                    />
                </span>
            </div>
            <p class="pg-ks__insp-result" data-testid="ks-insp-result" aria-live="polite">{move || result.get()}</p>
            {move || detail.get().map(history)}
        </section>
    }
}
