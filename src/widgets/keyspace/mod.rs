//! The keyspace side view: every key of the page's store, grouped by
//! namespace (the part before the first `:`), with its type, a preview of
//! its value and the TTL left. A key past its expiry that Redis has not
//! reclaimed yet shows as a ghost. Rebuilt at most four times a second of
//! real time while the clock runs (5,000 keys must not cost every frame).
//! A key's name opens the inspector: its whole value, encoding, memory and
//! idle time, with buttons that DEL, PERSIST, EXPIRE or touch it, and
//! editors for its value. A filter's matches can be deleted in one go, and
//! a form adds a key of any type.

pub mod add_key;
pub mod bulk;
pub mod inspector;
pub mod model;

use crate::hooks::effect;
use leptos::prelude::*;

use crate::sim::throttle::{throttled, Throttle};
use crate::sim::use_sim;
use inspector::model::{inspect, Detail};
use inspector::Inspector;
use model::{Filter, Model, Row, View};

/// The filters a page's keyspace view starts with (`?match=`, `?type=`),
/// and whether the address bar follows them: on the playground page it
/// does, so a copied link shows the same keys; an embed leaves the address
/// alone (an article's own URL is not the playground's to rewrite).
#[derive(Clone, Debug, Default)]
pub struct StartFilter {
    pub pattern: String,
    pub kind: &'static str,
    pub in_url: bool,
}

#[component]
pub fn Keyspace(
    /// Tighter layout for a side column or an iframe.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let sim = use_sim();
    let model = StoredValue::new_local(Model::new());
    let throttle = StoredValue::new_local(Throttle::default());
    let start = use_context::<StartFilter>().unwrap_or_default();
    let in_url = start.in_url;
    let filter = RwSignal::new(start.pattern);
    // The type filter: empty for every type.
    let kind = RwSignal::new(start.kind.to_string());
    let follow_in_url = move |name: &str, value: String| {
        if in_url {
            crate::route::replace_params(&[(name, (!value.is_empty()).then_some(value))]);
        }
    };
    // `None` once the widget is gone (a late event must not panic).
    let current_filter = move || {
        Some(Filter {
            pattern: filter.try_get_untracked()?,
            kind: kind.try_get_untracked()?,
        })
    };
    let view_model = RwSignal::new(View::default());
    // The inspected key (kept while it is gone, so a refill shows again).
    let selected = RwSignal::new(None::<Vec<u8>>);
    let detail = RwSignal::new(None::<Detail>);
    // Bulk delete: asked, then confirmed; what happened stays below.
    let confirming = RwSignal::new(false);
    let bulk_result = RwSignal::new(String::new());
    let filter_input = NodeRef::<leptos::html::Input>::new();
    // The Add a key form.
    let new_key = RwSignal::new(add_key::NewKey {
        kind: "string".into(),
        ..add_key::NewKey::default()
    });
    let add_result = RwSignal::new(String::new());
    let cancel_button = NodeRef::<leptos::html::Button>::new();

    let rebuild = move |force: bool| {
        if !throttled(sim, throttle, force) {
            return;
        }
        let Some(f) = current_filter() else {
            return;
        };
        if let Some(Some(v)) = sim.with(|st| model.try_update_value(|m| m.build_filtered(st, &f))) {
            if view_model.try_with_untracked(|old| *old != v) == Some(true) {
                view_model.try_set(v);
            }
        }
        let d = selected.try_get_untracked().flatten().and_then(|key| {
            sim.with(|st| {
                let now = st.engine.now();
                st.engine.with_store(|s| inspect(s, &key, now))
            })
            .flatten()
        });
        if detail.try_with_untracked(|old| *old != d) == Some(true) {
            detail.try_set(d);
        }
    };
    effect(move || {
        sim.version.track();
        sim.running.track();
        sim.suspended.track();
        rebuild(false);
    });

    let groups = move || {
        view_model.with(|v| {
            v.groups
                .iter()
                .map(|g| (g.id, g.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let empty = move || {
        view_model.with(|v| {
            if v.total == 0 {
                "No keys yet. Send a request or type SET in the console."
            } else if v.matched == 0 {
                "No key matches the filters."
            } else {
                ""
            }
        })
    };
    let ask = move |_| {
        confirming.set(true);
        bulk_result.set(String::new());
        // The asking button is replaced: focus goes to the safe answer.
        request_animation_frame(move || {
            if let Some(Some(b)) = cancel_button.try_get_untracked() {
                let _ = b.focus();
            }
        });
    };
    let settle = move || {
        confirming.set(false);
        if let Some(Some(i)) = filter_input.try_get_untracked() {
            let _ = i.focus();
        }
    };
    let confirm = move |_| {
        let Some(f) = current_filter() else {
            return;
        };
        if let Some(line) = sim.update(|st| bulk::delete_matching(st, &f)) {
            bulk_result.set(line);
        }
        settle();
        rebuild(true);
    };
    let bulk_controls = move || {
        let f = Filter {
            pattern: filter.get(),
            kind: kind.get(),
        };
        let n = view_model.with(|v| v.matched);
        if confirming.get() {
            let question = format!(
                "Delete {} matching {}?",
                f.count_text(n),
                model::escape(f.pattern.as_bytes(), 80)
            );
            view! {
                <div class="pg-ks__bulk pg-ks__bulk-ask" role="group" aria-label="Confirm the bulk delete">
                    <span>{question}</span>
                    <button type="button" class="pg-btn pg-btn--primary" data-testid="ks-bulk-confirm" on:click=confirm>
                        "Delete (UNLINK)"
                    </button>
                    <button type="button" class="pg-btn" data-testid="ks-bulk-cancel" node_ref=cancel_button on:click=move |_| settle()>
                        "Cancel"
                    </button>
                </div>
            }
            .into_any()
        } else if !f.pattern.is_empty() && n > 0 {
            view! {
                <div class="pg-ks__bulk">
                    <button type="button" class="pg-btn" data-testid="ks-bulk" on:click=ask>
                        {format!("Delete {} matching…", f.count_text(n))}
                    </button>
                </div>
            }
            .into_any()
        } else {
            ().into_any()
        }
    };
    let create = move |_| {
        let nk = new_key.get_untracked();
        let Some(outcome) = sim.update(|st| add_key::add(st, &nk)) else {
            return;
        };
        match outcome {
            Ok(lines) => {
                add_result.set(lines);
                new_key.update(|k| {
                    *k = add_key::NewKey {
                        kind: k.kind.clone(),
                        ..add_key::NewKey::default()
                    }
                });
                // Open what was made: the inspector shows it at once.
                selected.set(Some(nk.name.into_bytes()));
            }
            Err(why) => add_result.set(why),
        }
        rebuild(true);
    };
    // One text input of the form, bound to a field of `new_key`.
    let field = move |label: &'static str,
                      id: &'static str,
                      get: fn(&add_key::NewKey) -> &String,
                      set: fn(&mut add_key::NewKey, String)| {
        view! {
            <label class="pg-ks__edit-field">
                <span class="pg-muted">{label}</span>
                <input
                    type="text"
                    data-testid=id
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || new_key.with(|k| get(k).clone())
                    on:input=move |ev| new_key.update(|k| set(k, event_target_value(&ev)))
                />
            </label>
        }
    };
    // Rebuilt only when the type changes: a keystroke in a field must not
    // recreate the inputs (focus would be lost).
    let new_kind = Memo::new(move |_| new_key.with(|k| k.kind.clone()));
    let value_inputs = move || {
        let (first, second) = add_key::inputs(&new_kind.get());
        view! {
            {field(first, "ks-add-1", |k| &k.first, |k, v| k.first = v)}
            {second.map(|label| field(label, "ks-add-2", |k| &k.second, |k, v| k.second = v))}
        }
    };
    let class = if compact {
        "pg-ks pg-ks--compact"
    } else {
        "pg-ks"
    };
    view! {
        <section class=class data-testid="keyspace" aria-label="Keyspace">
            <header class="pg-ks__head">
                <h2 class="pg-ks__title">"Keyspace"</h2>
                <p class="pg-ks__count" data-testid="ks-count">{move || view_model.with(View::counts_text)}</p>
            </header>
            <div class="pg-ks__filters">
                <label class="pg-ks__filter">
                    <span>"Filter "<small class="pg-muted">"(glob, as in KEYS)"</small></span>
                    <input
                        type="search"
                        data-testid="ks-filter"
                        placeholder="*  e.g. product:*"
                        autocomplete="off"
                        spellcheck="false"
                        node_ref=filter_input
                        prop:value=move || filter.get()
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            filter.set(value.clone());
                            follow_in_url("match", value);
                            // A new pattern is a new question.
                            confirming.set(false);
                            rebuild(true);
                        }
                    />
                </label>
                <label class="pg-ks__filter">
                    <span>"Type "<small class="pg-muted">"(as SCAN TYPE)"</small></span>
                    <select
                        data-testid="ks-type"
                        prop:value=move || kind.get()
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            kind.set(value.clone());
                            follow_in_url("type", value);
                            confirming.set(false);
                            rebuild(true);
                        }
                    >
                        <option value="">"all types"</option>
                        {add_key::KINDS.map(|k| view! { <option value=k>{k}</option> })}
                    </select>
                </label>
            </div>
            // The bulk delete's answer shares this live region: an empty
            // box of its own would leave a gap in the column.
            <p class="pg-ks__shown" data-testid="ks-shown" aria-live="polite">
                {move || view_model.with(View::shown_text)}
                {empty}
                <span class="pg-ks__bulk-result" data-testid="ks-bulk-result">{move || bulk_result.get()}</span>
            </p>
            {bulk_controls}
            <details class="pg-ks__add" data-testid="ks-add">
                <summary>"Add a key"</summary>
                <div class="pg-ks__edit">
                    <label class="pg-ks__edit-field">
                        <span class="pg-muted">"type"</span>
                        <select
                            data-testid="ks-add-type"
                            prop:value=move || new_key.with(|k| k.kind.clone())
                            on:change=move |ev| new_key.update(|k| k.kind = event_target_value(&ev))
                        >
                            {add_key::KINDS.map(|k| view! { <option value=k>{k}</option> })}
                        </select>
                    </label>
                    {field("name", "ks-add-name", |k| &k.name, |k, v| k.name = v)}
                    {field("TTL in s (blank: none)", "ks-add-ttl", |k| &k.ttl, |k, v| k.ttl = v)}
                    {value_inputs}
                    <button type="button" class="pg-btn" data-testid="ks-add-create" on:click=create>"Add"</button>
                </div>
                <p class="pg-ks__bulk-result" data-testid="ks-add-result" aria-live="polite">{move || add_result.get()}</p>
            </details>
            <Inspector selected=selected detail=detail on_change=move || rebuild(true) />
            <div
                class="pg-ks__groups"
                data-testid="ks-list"
                role="region"
                tabindex="0"
                aria-label="Keys by namespace. Up and down arrows move between keys, Enter opens one."
                on:keydown=move_between_keys
            >
                <For each=groups key=|g| g.0 let:g>
                    <GroupView gid=g.0 name=g.1 view_model=view_model selected=selected />
                </For>
            </div>
        </section>
    }
}

/// Arrow keys in the key list: one Tab stop for the whole list (200 rows
/// of buttons would be 200 stops), then ↑/↓ (Home/End) move focus from key
/// to key, and Enter or Space opens the focused one.
fn move_between_keys(ev: web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let key = ev.key();
    if !matches!(key.as_str(), "ArrowDown" | "ArrowUp" | "Home" | "End") {
        return;
    }
    let Some(list) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    // Keys in a collapsed group cannot take focus: skip them.
    let Ok(buttons) = list.query_selector_all("details[open] [data-testid=ks-open]") else {
        return;
    };
    let n = buttons.length();
    if n == 0 {
        return;
    }
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let at = (0..n).find(|&i| {
        buttons
            .item(i)
            .zip(active.as_ref())
            .is_some_and(|(b, a)| b.is_same_node(Some(a)))
    });
    let next = match (key.as_str(), at) {
        ("Home", _) => 0,
        ("End", _) | ("ArrowUp", None) => n - 1,
        (_, None) => 0,
        ("ArrowDown", Some(i)) => (i + 1).min(n - 1),
        (_, Some(i)) => i.saturating_sub(1),
    };
    ev.prevent_default();
    if let Some(b) = buttons
        .item(next)
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = b.focus();
    }
}

#[component]
fn GroupView(
    gid: u64,
    name: String,
    view_model: RwSignal<View>,
    selected: RwSignal<Option<Vec<u8>>>,
) -> impl IntoView {
    let group = move || {
        view_model.with(|v| {
            v.groups
                .iter()
                .find(|g| g.id == gid)
                .map_or((0, 0), |g| (g.count, g.memory))
        })
    };
    let rows = move || {
        view_model.with(|v| {
            v.groups
                .iter()
                .find(|g| g.id == gid)
                .map(|g| g.rows.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <details class="pg-ks__group" data-testid="ks-group" open=true>
            <summary class="pg-ks__summary">
                <span class="pg-ks__ns">{name}</span>
                <span
                    class="pg-ks__n"
                    data-testid="ks-group-n"
                    title="Keys, and their memory by the store's estimate (as used_memory counts it)"
                >
                    {move || {
                        let (n, memory) = group();
                        format!(
                            "{} · {}",
                            model::thousands(n),
                            playground_core::store::cmd::server::human(memory as u64)
                        )
                    }}
                </span>
            </summary>
            <ul class="pg-ks__rows">
                <For each=rows key=|r: &Row| r.clone() let:r>
                    <KeyRow r=r selected=selected />
                </For>
            </ul>
        </details>
    }
}

#[component]
fn KeyRow(r: Row, selected: RwSignal<Option<Vec<u8>>>) -> impl IntoView {
    let class = if r.ghost {
        "pg-ks__row pg-ks__row--ghost"
    } else {
        "pg-ks__row"
    };
    let bar = r.bar.map(|p| {
        view! {
            <span class="pg-ks__bar" aria-hidden="true">
                <span style=format!("width:{p}%")></span>
            </span>
        }
    });
    let raw = r.raw;
    let label = format!("Inspect key {}", r.key);
    let is_open = {
        let raw = raw.clone();
        move || selected.with(|s| s.as_ref() == Some(&raw))
    };
    view! {
        <li class=class class:pg-ks__row--open=is_open data-testid="ks-row" title=r.title>
            <span class=format!("pg-ks__type pg-ks__type--{}", r.kind)>{r.kind}</span>
            <button
                type="button"
                class="pg-ks__key"
                data-testid="ks-open"
                tabindex="-1"
                aria-label=label
                on:click=move |_| selected.set(Some(raw.clone()))
            >
                {r.key}
            </button>
            <span class="pg-ks__ttl">{r.ttl}</span>
            <code class="pg-ks__val">{r.preview}</code>
            <span class="pg-ks__size">{r.size}</span>
            {bar}
        </li>
    }
}
