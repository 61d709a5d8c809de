//! The trace side view: pick one of the last finished requests and see it
//! as a sequence diagram, client → API → Redis → database and back, every
//! step at its virtual time. Rebuilt at most four times a second of real
//! time while the clock runs (under load, thousands finish per second).

pub mod model;

use crate::hooks::effect;
use leptos::prelude::*;

use crate::sim::throttle::{throttled, Throttle};
use crate::sim::use_sim;
use model::{Lane, Model, Trace};

#[component]
pub fn TraceView(
    /// Tighter layout for a side column or an iframe.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let sim = use_sim();
    let model = StoredValue::new_local(Model::new());
    let throttle = StoredValue::new_local(Throttle::every(370.0));
    let recent = RwSignal::new(Vec::<Trace>::new());
    // None: follow the newest request.
    let chosen = RwSignal::new(None::<u64>);
    effect(move || {
        sim.version.track();
        if !throttled(sim, throttle, false) {
            return;
        }
        if sim.with(|st| model.try_update_value(|m| m.sync(st))) == Some(Some(true)) {
            if let Some(r) = model.try_with_value(|m| m.recent()) {
                recent.try_set(r);
            }
        }
    });
    let shown = move || {
        recent.with(|r| {
            let pick = chosen.get();
            r.iter()
                .find(|t| Some(t.id) == pick)
                .or_else(|| r.first())
                .cloned()
        })
    };
    let class = if compact {
        "pg-tr pg-tr--compact pg-panel"
    } else {
        "pg-tr pg-panel"
    };
    view! {
        <section class=class data-testid="trace" aria-labelledby="pg-tr-title">
            <h2 class="pg-panel__title" id="pg-tr-title">"Request trace"</h2>
            <label class="pg-tr__pick">
                <span>"Request"</span>
                <select
                    data-testid="trace-pick"
                    on:change=move |ev| chosen.set(event_target_value(&ev).parse::<u64>().ok())
                >
                    <option value="">"the newest"</option>
                    {move || recent.get().into_iter().map(|t| {
                        let label = format!("#{} {} → {} ({} ms)", t.id, t.request, t.status, t.latency);
                        view! { <option value=t.id.to_string() selected=move || chosen.get() == Some(t.id)>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            {move || match shown() {
                None => view! { <p class="pg-muted" data-testid="trace-empty">"No request has finished yet."</p> }.into_any(),
                Some(t) => sequence(t).into_any(),
            }}
        </section>
    }
}

fn sequence(t: Trace) -> impl IntoView {
    let caption = format!(
        "#{} {}: {} in {} ms (virtual)",
        t.id, t.request, t.status, t.latency
    );
    view! {
        <figure class="pg-tr__seq" data-testid="trace-seq">
            <figcaption>{caption}</figcaption>
            <div class="pg-tr__lanes" aria-hidden="true">
                <span>"Client"</span><span>"API"</span><span>"Redis"</span><span>"DB"</span>
            </div>
            <ol class="pg-tr__steps" tabindex="0" aria-label="Steps of the request, in order">
                {t.steps.into_iter().map(|s| {
                    let (lo, hi) = if (s.from as u8) < (s.to as u8) { (s.from, s.to) } else { (s.to, s.from) };
                    let style = format!("grid-column:{}/{}", lo as u8, hi as u8 + 1);
                    let dir = if (s.from as u8) < (s.to as u8) { "pg-tr__arrow" } else { "pg-tr__arrow pg-tr__arrow--back" };
                    let lane = match s.to {
                        Lane::Client => "client",
                        Lane::Api => "API",
                        Lane::Redis => "Redis",
                        Lane::Db => "DB",
                    };
                    let took = if s.took > 0 { format!(" · {} ms", s.took) } else { String::new() };
                    let text = format!("{} ms {} → {lane}: {}{took}", s.at, lane_name(s.from), s.label);
                    view! {
                        <li class="pg-tr__step" data-testid="trace-step">
                            <span class=dir style=style>
                                <span class="pg-tr__label">{text}</span>
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </figure>
    }
}

fn lane_name(l: Lane) -> &'static str {
    match l {
        Lane::Client => "client",
        Lane::Api => "API",
        Lane::Redis => "Redis",
        Lane::Db => "DB",
    }
}
