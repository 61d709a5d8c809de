//! The settings drawer: every setting of the shared simulation, grouped,
//! each labelled with its Redis or environment name. A change applies at
//! once, is written to the address bar (so the link shares it), and a value
//! out of range is clamped with a note in the drawer's status line.

pub mod model;

use leptos::prelude::*;

use crate::icon::{icon, SETTINGS};
use crate::route;
use crate::sim::Sim;
use model::{Applied, Field, Kind, FIELDS};

/// Applies one setting and records it in the URL; the text to announce.
pub fn set(sim: Sim, f: &'static Field, raw: &str) -> String {
    match sim.update(|s| model::apply(s, f, raw)) {
        Some(Applied::Set) => {
            route::replace_param(f.name, raw.trim());
            format!("{} set to {}.", f.name, raw.trim())
        }
        Some(Applied::Clamped(used, note)) => {
            route::replace_param(f.name, &used);
            note
        }
        Some(Applied::Refused(why)) => why,
        None => String::new(),
    }
}

#[component]
pub fn SettingsDrawer(sim: Sim) -> impl IntoView {
    let open = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    let mut groups: Vec<&'static str> = Vec::new();
    for f in FIELDS {
        if !groups.contains(&f.group) {
            groups.push(f.group);
        }
    }
    view! {
        <div class="pg-set">
            <button
                class="pg-btn"
                data-testid="settings-open"
                aria-expanded=move || open.get().to_string()
                aria-controls="pg-settings"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {icon(|| SETTINGS)}
                <span class="pg-btn__label">"Settings"</span>
            </button>
            <section id="pg-settings" class="pg-set__drawer" data-testid="settings" hidden=move || !open.get() aria-label="Settings">
                <p class="pg-set__status" role="status" aria-live="polite" data-testid="settings-status">{move || status.get()}</p>
                {groups
                    .into_iter()
                    .map(|g| {
                        view! {
                            <fieldset class="pg-set__group">
                                <legend>{g}</legend>
                                {FIELDS
                                    .iter()
                                    .filter(|f| f.group == g)
                                    .map(|f| view! { <Row sim=sim field=f status=status open=open /> })
                                    .collect_view()}
                            </fieldset>
                        }
                    })
                    .collect_view()}
            </section>
        </div>
    }
}

#[component]
fn Row(
    sim: Sim,
    field: &'static Field,
    status: RwSignal<String>,
    open: RwSignal<bool>,
) -> impl IntoView {
    // Follows the engine (a CONFIG SET in the console shows here) only
    // while the drawer is open: closed, it would re-read every field on
    // every frame of a running clock for nothing.
    let value = move || {
        if open.get() {
            sim.track(|s| model::read(s, field)).unwrap_or_default()
        } else {
            String::new()
        }
    };
    let id = format!("pg-set-{}", field.name);
    let testid = format!("set-{}", field.name);
    let on_change = move |ev| {
        let raw = match field.kind {
            Kind::Flag => event_target_checked(&ev).to_string(),
            _ => event_target_value(&ev),
        };
        status.set(set(sim, field, &raw));
    };
    let input = match field.kind {
        Kind::Flag => view! {
            <input type="checkbox" id=id.clone() data-testid=testid prop:checked=move || value() == "true" on:change=on_change />
        }
        .into_any(),
        Kind::Choice(options) => view! {
            <select id=id.clone() data-testid=testid prop:value=value on:change=on_change>
                {options.iter().map(|o| view! { <option value=*o>{*o}</option> }).collect_view()}
            </select>
        }
        .into_any(),
        // A number's keyboard, but a memory value's unit is letters.
        Kind::Int { .. } | Kind::Decimal { .. } | Kind::Memory { .. } | Kind::Classes => {
            let keys = if matches!(field.kind, Kind::Memory { .. } | Kind::Classes) { "text" } else { "decimal" };
            // Empty is a value here (no notifications): say so, with an example.
            let hint = (field.kind == Kind::Classes).then_some("none, e.g. KEA");
            view! {
                <input type="text" inputmode=keys id=id.clone() data-testid=testid placeholder=hint prop:value=value on:change=on_change />
            }
            .into_any()
        }
    };
    view! {
        <div class="pg-set__row">
            <label for=id>
                {field.label}
                <code class="pg-set__name">{field.name}</code>
            </label>
            {input}
        </div>
    }
}
